# Terang: two commands matter. `make demo` serves the demo city; `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PG_URL ?= postgres://postgres@127.0.0.1:5432/test
STAMP := $(VENV)/.installed
DEMO_PORT ?= 8000

.PHONY: demo test test-sqlite test-postgres test-slow lint bench install messages clean system-deps serve serve-streams

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

messages: $(STAMP)
	cd src/terang && ../../$(BIN)/terang compilemessages -l id -l en >/dev/null

demo: install messages
	$(BIN)/terang migrate --noinput
	$(BIN)/terang seed-demo
	$(BIN)/terang collectstatic --noinput >/dev/null
	@$(BIN)/terang demo-logins
	@echo "Control room: http://127.0.0.1:$(DEMO_PORT)/ruang-kendali/ (operator1); air quality: http://127.0.0.1:$(DEMO_PORT)/udara/"
	@echo "Periodic jobs (deadline sweeps, auto-close, ISPU, audit checkpoints...): terang run-scheduler"
	@$(BIN)/terang run-scheduler & sched=$$!; \
	if [ -n "$$MQTT_URL" ]; then \
	  echo "Sensor simulator publishes to $$MQTT_URL; terang ingest-mqtt stores the readings"; \
	  $(BIN)/terang ingest-mqtt & worker=$$!; \
	  (sleep 5; exec $(BIN)/terang simulate-sensors --minutes 1440) & sim=$$!; \
	else \
	  echo "No MQTT_URL: the sensor simulator POSTs to the HTTP ingest API of this server"; \
	  worker=""; \
	  (sleep 5; exec $(BIN)/terang simulate-sensors --url "" --ingest-url http://127.0.0.1:$(DEMO_PORT)/api/v1/sensors --minutes 1440) & sim=$$!; \
	fi; \
	trap 'kill $$sim $$worker $$sched 2>/dev/null' EXIT INT TERM; \
	$(BIN)/terang runserver --insecure 127.0.0.1:$(DEMO_PORT)

serve: install
	$(BIN)/gunicorn terang.wsgi --worker-class gthread --workers 2 --threads 8 --bind 127.0.0.1:8000

# The wall's event stream (ADR 0002): route /ruang-kendali/stream here, set WALL_STREAM_URL.
serve-streams: install
	$(BIN)/uvicorn terang.asgi_streams:application --lifespan on --host 127.0.0.1 --port 8001

# Debian packages the tests need: Chromium for browser tests, GNU gettext for translations.
system-deps:
	@missing=""; command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	command -v msgfmt >/dev/null 2>&1 || missing="$$missing gettext"; \
	if [ -n "$$missing" ]; then apt-get install -y -qq $$missing >/dev/null 2>&1 || \
	  (apt-get update -qq && apt-get install -y -qq $$missing); fi

lint: install
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/lint-imports
	$(BIN)/mypy src/terang
	$(BIN)/terang makemigrations --check --dry-run >/dev/null

# `--dist loadgroup`: tests marked xdist_group (the demo city of tests/demo) share one worker, so
# what they share is built once. The SQLite pass runs every test but the service-marked ones.
# `make test` leaves out the tests marked `slow` (a production server, the demo seeded again, a
# migration back and forth, a minute of the demo scheduler); `make test-slow` runs them on both
# databases, and CI (.ci/run) runs `make test` then `make test-slow`: every test runs in CI.
# Python's compiled bytecode is kept between runs, outside the tree, even where the environment
# sets PYTHONDONTWRITEBYTECODE: without it every worker and every `terang` a test starts compiles
# Django, the project and the rewritten test modules again (seconds of CPU each).
PYCACHE := $${XDG_CACHE_HOME:-$$HOME/.cache}/terang-tests/pycache
PYTEST := PYTHONDONTWRITEBYTECODE= PYTHONPYCACHEPREFIX=$(PYCACHE) $(BIN)/pytest -q -p no:cacheprovider -n 2 --dist loadgroup
SERVICES := DATABASE_URL=$(PG_URL) REDIS_URL=$${REDIS_URL:-redis://127.0.0.1:6379/0} MQTT_URL=$${MQTT_URL:-mqtt://127.0.0.1:1883}
ON_SQLITE := not postgres and not redis and not mqtt

test-sqlite: install messages
	$(PYTEST) -m "not slow and $(ON_SQLITE)" tests

# The PostgreSQL pass (`--services-pass`, tests/conftest.py) runs every test that uses the database
# or is marked postgres/redis/mqtt; tests that touch no database and browser tests ran in the SQLite
# pass and are deselected here. Together the two passes run every test.
test-postgres: install messages
	$(SERVICES) $(PYTEST) -m "not slow" --services-pass tests

test-slow: install messages
	$(PYTEST) -m "slow and $(ON_SQLITE)" tests
	$(SERVICES) $(PYTEST) -m "slow" --services-pass tests

test: system-deps install messages lint test-sqlite test-postgres

bench: install
	$(BIN)/python bench/run_all.py

clean:
	rm -rf var $(VENV)
