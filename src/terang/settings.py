"""Django settings for Terang, read from the environment with safe embedded defaults.

Deployment capability (database, cache, broker, MQTT) lives here; city policy lives in the
database (`core.CityProfile`, categories, days off) so administrators can change it.
"""

import secrets
import sys
from pathlib import Path

import environ
from cryptography.fernet import Fernet

BASE_DIR = Path(__file__).resolve().parent
ROOT_DIR = Path(environ.Env().str("TERANG_HOME", default=str(Path.cwd())))
VAR_DIR = ROOT_DIR / "var"

env = environ.Env()

DEBUG = env.bool("DEBUG", default=False)
TERANG_ENV = env.str("TERANG_ENV", default="development")
PRODUCTION = TERANG_ENV == "production"

# Keys (serve): production refuses a missing or weak SECRET_KEY; see "Keys" further down.
DEV_SECRET_KEY = "dev-only-insecure-key-change-me-in-production-0123456789"  # noqa: S105 - public on purpose
SECRET_KEY = env.str("SECRET_KEY", default="" if PRODUCTION else DEV_SECRET_KEY)
# Building the static files or the message catalogs signs and decrypts nothing, and an image
# build has no secrets: those commands skip the production key checks (a throwaway key if none).
# Every command that serves or touches data keeps them.
BUILD_ONLY = len(sys.argv) > 1 and sys.argv[1] in {"collectstatic", "compilemessages"}
if PRODUCTION and BUILD_ONLY and not SECRET_KEY:
    SECRET_KEY = secrets.token_urlsafe(50)

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "terang.core",
    "terang.aspirations",
    "terang.controlroom",
    "terang.emergencies",
    "terang.fleet",
    "terang.markets",
    "terang.opendata",
    "terang.budget",
    "terang.ppid",
]
if not PRODUCTION:
    # The demo city (seed-demo, simulate-sensors, demo logins) never ships to production.
    INSTALLED_APPS.append("terang.demo")

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Static files (serve): WhiteNoise serves /static/ from STATIC_ROOT in every environment, so
    # production needs no separate web server for them; right after SecurityMiddleware so HTTPS
    # redirects and security headers still apply, and before sessions so no cookie is touched.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "terang.core.outage.DatabaseUnavailableMiddleware",
    "terang.core.middleware.StaffTwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "terang.urls"
WSGI_APPLICATION = "terang.wsgi.application"
AUTH_USER_MODEL = "core.User"
LOGIN_URL = "core:login"
LOGIN_REDIRECT_URL = "core:home"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "terang.core.context_processors.city",
            ],
        },
    }
]

VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'terang.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers proceed while one writer commits; IMMEDIATE avoids upgrade deadlocks.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A database that accepts connections and never answers must cost a request seconds, not
    # minutes: give up connecting after DB_CONNECT_TIMEOUT s (libpq counts at least 2) and
    # cancel any statement after DB_STATEMENT_TIMEOUT (a PostgreSQL duration, e.g. "30s").
    # Behind a pooler that refuses startup options (PgBouncer), set DB_STATEMENT_TIMEOUT=""
    # and rely on `ALTER ROLE ... SET statement_timeout` (docs/deploy.md).
    _db_options = DATABASES["default"].setdefault("OPTIONS", {})
    _db_options.setdefault("connect_timeout", env.int("DB_CONNECT_TIMEOUT", default=3))
    _statement_timeout = env.str("DB_STATEMENT_TIMEOUT", default="30s")
    if _statement_timeout:
        _startup = f"{_db_options.get('options', '')} -c statement_timeout={_statement_timeout}"
        _db_options["options"] = _startup.strip()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.str("REDIS_URL", default="")
_xdist_worker = env.str("PYTEST_XDIST_WORKER", default="")
if REDIS_URL and _xdist_worker.startswith("gw"):
    # Parallel test workers each get their own Redis database so cache.clear() stays local.
    REDIS_URL = REDIS_URL.rsplit("/", 1)[0] + f"/{1 + int(_xdist_worker[2:])}"
# A cache that is refused or hung costs a request at most this long (connect, then each read),
# once per process per few seconds (core.degrade): the site then serves without it.
REDIS_TIMEOUT = env.float("REDIS_TIMEOUT", default=0.5)
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "terang.core.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": REDIS_TIMEOUT, "socket_timeout": REDIS_TIMEOUT},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "terang.core.auth_backends.EmailOrPhoneBackend",
]
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = 0.25  # hours
# Lock an account name from any address, and an address trying many names. Addresses alone are
# not locked: Indonesian mobile carriers put many citizens behind one NAT address.
AXES_LOCKOUT_PARAMETERS = ["username", ["ip_address", "user_agent"]]
AXES_USERNAME_CALLABLE = "terang.core.auth_backends.axes_username"
AXES_SENSITIVE_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "terang.core.views.auth.lockout_response"
AXES_HANDLER = env.str("AXES_HANDLER", default="axes.handlers.database.AxesDatabaseHandler")

# --- Client address and rate limits (issue 8, helper "limits") -------------------------------
# TRUSTED_PROXY_COUNT: how many reverse proxies in front of Django append to X-Forwarded-For.
# 0 = clients connect directly: REMOTE_ADDR is used and X-Forwarded-For ignored (it is spoofable).
# 1 = one nginx; 2 = a CDN and nginx. The Nth address from the right of X-Forwarded-For is the
# client. Rate limits and axes' lockouts both use terang.core.ratelimit.client_ip_address.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "terang.core.ratelimit.client_ip_address"
# The limits themselves are city policy rows (admin: Batas laju); this switch exists for load
# benchmarks that create thousands of reports from one address.
RATE_LIMITS_ENABLED = env.bool("RATE_LIMITS_ENABLED", default=True)
# --- end of client address and rate limits ----------------------------------------------------

LANGUAGE_CODE = "id"
LANGUAGES = [("id", "Bahasa Indonesia"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True

# Static files (serve): `terang collectstatic` copies them into STATIC_ROOT, where WhiteNoise
# serves them. Production stores them hashed (far-future caching) and pre-compressed (gzip).
STATIC_URL = "/static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(VAR_DIR / "static")))
STATICFILES_DIRS = [BASE_DIR / "static"]
if not PRODUCTION:
    # Development and tests serve the source files directly (no collectstatic, no warning about
    # a missing STATIC_ROOT); production serves only what collectstatic wrote, indexed at start.
    WHITENOISE_USE_FINDERS = True
    WHITENOISE_AUTOREFRESH = True
MEDIA_URL = "/media/"  # served by nothing: uploads go through the file view (below)
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FILES = 10

# --- Private files ------------------------------------------------------------------------------
# Every upload (report photos, PPID papers and documents) is private: MEDIA_ROOT is served at no
# URL (in production keep it outside any folder the web server serves). Files leave only through
# the permission-checked view of `terang.core.files` (`/berkas/...`), by one transport:
#   django   the view streams the bytes (demo, tests, small installs)
#   x-accel  the view answers with X-Accel-Redirect: PRIVATE_FILES_ACCEL_PREFIX + stored name, to
#            an nginx `internal` location aliased to MEDIA_ROOT (docs/deploy.md)
#   s3       files live in a private S3-compatible bucket (`pip install terang[s3]`); the view
#            redirects to a signed URL valid PRIVATE_FILES_URL_EXPIRY seconds
PRIVATE_FILES_TRANSPORT = env.str("PRIVATE_FILES_TRANSPORT", default="django")
PRIVATE_FILES_ACCEL_PREFIX = env.str("PRIVATE_FILES_ACCEL_PREFIX", default="/_berkas_internal/")
PRIVATE_FILES_URL_EXPIRY = env.int("PRIVATE_FILES_URL_EXPIRY", default=60)
if PRIVATE_FILES_TRANSPORT not in ("django", "x-accel", "s3"):
    raise environ.ImproperlyConfigured("PRIVATE_FILES_TRANSPORT must be django, x-accel or s3")
if PRIVATE_FILES_TRANSPORT == "x-accel" and not (
    PRIVATE_FILES_ACCEL_PREFIX.startswith("/") and PRIVATE_FILES_ACCEL_PREFIX.endswith("/")
):
    raise environ.ImproperlyConfigured("PRIVATE_FILES_ACCEL_PREFIX must start and end with /")
STORAGES: dict[str, dict[str, object]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
if PRIVATE_FILES_TRANSPORT == "s3":
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env.str("S3_BUCKET"),
            "endpoint_url": env.str("S3_ENDPOINT_URL", default="") or None,
            "region_name": env.str("S3_REGION", default="") or None,
            # Empty: boto3's own chain (AWS_* variables, instance role).
            "access_key": env.str("S3_ACCESS_KEY_ID", default="") or None,
            "secret_key": env.str("S3_SECRET_ACCESS_KEY", default="") or None,
            "default_acl": None,  # objects inherit the bucket's (private) policy
            "querystring_auth": True,
            "querystring_expire": PRIVATE_FILES_URL_EXPIRY,
            "file_overwrite": False,
            "signature_version": "s3v4",
            "addressing_style": env.str("S3_ADDRESSING_STYLE", default="") or None,
        },
    }

# Keys (serve). Personal data (phone numbers, NIK, contacts) is encrypted at rest with
# FIELD_ENCRYPTION_KEY (a Fernet key); FIELD_ENCRYPTION_OLD_KEYS (comma-separated) still decrypt
# rows written before a rotation until `terang reencrypt-fields` has rewritten them. Lookups
# (phone sign-in, NIK, API and device tokens) use HMAC digests keyed by FIELD_DIGEST_KEY, which
# never rotates. Unset outside production, they fall back as `terang.core.crypto` explains.
FIELD_ENCRYPTION_KEY = env.str("FIELD_ENCRYPTION_KEY", default="")
FIELD_ENCRYPTION_OLD_KEYS = [k for k in env.list("FIELD_ENCRYPTION_OLD_KEYS", default=[]) if k]
FIELD_DIGEST_KEY = env.str("FIELD_DIGEST_KEY", default="")
if PRODUCTION and not BUILD_ONLY:
    _generate = "Generate one with `terang generate-keys`."
    if not SECRET_KEY or SECRET_KEY == DEV_SECRET_KEY:
        raise environ.ImproperlyConfigured(
            f"SECRET_KEY must be set to a secret of your own in production. {_generate}"
        )
    if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5:
        raise environ.ImproperlyConfigured(
            "SECRET_KEY is too weak for production: use at least 50 random characters. " + _generate
        )
    try:
        Fernet(FIELD_ENCRYPTION_KEY)
    except ValueError:
        raise environ.ImproperlyConfigured(
            "FIELD_ENCRYPTION_KEY must be a Fernet key (32 bytes, urlsafe base64) in production. "
            + _generate
            + " If the database already holds data, keep the present value in "
            "FIELD_ENCRYPTION_OLD_KEYS and run `terang reencrypt-fields` (see docs/deploy.md)."
        ) from None
    if FIELD_ENCRYPTION_OLD_KEYS and not FIELD_DIGEST_KEY:
        # Without it, lookup digests follow FIELD_ENCRYPTION_KEY, so a rotation would change
        # them: phone sign-in and API tokens would stop matching. (Unset and no rotation under
        # way, `check --deploy` warns: terang.W103.)
        raise environ.ImproperlyConfigured(
            "FIELD_DIGEST_KEY is required while FIELD_ENCRYPTION_OLD_KEYS is set: phone sign-in, "
            "NIK lookups and API tokens are found by digests keyed with it. Set it to the value "
            "FIELD_ENCRYPTION_KEY had when the data was written; on a new installation: "
            + _generate
        )

EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Terang <noreply@localhost>")
SMS_ADAPTER = env.str("SMS_ADAPTER", default="terang.core.notifications.adapters.ConsoleAdapter")
WHATSAPP_ADAPTER = env.str(
    "WHATSAPP_ADAPTER", default="terang.core.notifications.adapters.ConsoleAdapter"
)
# Shared secrets of inbound messaging webhooks, e.g. WEBHOOK_SECRETS=whatsapp=abc,sms=def
WEBHOOK_SECRETS = env.dict("WEBHOOK_SECRETS", default={})

CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_ACKS_LATE = True
CELERY_TIMEZONE = "UTC"
# A broker that is refused or hung must not hold a request: publishing gives up within about a
# second (connect, then each socket read or write), the outbox row stays pending and the
# deliver-pending sweep sends it after recovery. Workers keep retrying their own connection.
CELERY_BROKER_CONNECTION_TIMEOUT = env.float("CELERY_BROKER_TIMEOUT", default=0.5)
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": CELERY_BROKER_CONNECTION_TIMEOUT,
    "socket_timeout": CELERY_BROKER_CONNECTION_TIMEOUT,
    "max_retries": 0,
}
CELERY_TASK_PUBLISH_RETRY = False
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Periodic jobs are not listed here: each app registers them (terang.core.periodic), and
# terang.celery builds beat_schedule from that registry.
MQTT_URL = env.str("MQTT_URL", default="")
# Where wall screens open the Server-Sent Events stream served by `terang.asgi_streams` (e.g.
# "/ruang-kendali/stream" behind a proxy that routes it to that process). Empty: screens poll.
WALL_STREAM_URL = env.str("WALL_STREAM_URL", default="")
MQTT_TOPIC_PREFIX = env.str("MQTT_TOPIC_PREFIX", default="terang/sensors")
# The ingest worker's client id; its persistent session is kept under it (empty: generated).
MQTT_CLIENT_ID = env.str("MQTT_CLIENT_ID", default="")
# How long a checkpoint waits for late commits before folding a chain's entries (ADR 0001).
AUDIT_CHECKPOINT_SETTLE_SECONDS = env.int("AUDIT_CHECKPOINT_SETTLE_SECONDS", default=600)

# Upload size limits, checked by the one helper `terang.core.imports.read_upload`.
OPENDATA_MAX_UPLOAD_BYTES = env.int("OPENDATA_MAX_UPLOAD_BYTES", default=25 * 1024 * 1024)
PPID_MAX_UPLOAD_BYTES = env.int("PPID_MAX_UPLOAD_BYTES", default=10 * 1024 * 1024)
MARKETS_MAX_IMPORT_BYTES = env.int("MARKETS_MAX_IMPORT_BYTES", default=2 * 1024 * 1024)
BUDGET_MAX_IMPORT_BYTES = env.int("BUDGET_MAX_IMPORT_BYTES", default=10 * 1024 * 1024)
OPENDATA_MAX_ROWS = env.int("OPENDATA_MAX_ROWS", default=200_000)

# Photos of one aspiration (a report, or a resolution's before/after evidence): how many, and
# the largest file accepted before decoding. Intake reads both (aspirations.services.intake).
MAX_PHOTOS_PER_REPORT = env.int("MAX_PHOTOS_PER_REPORT", default=5)
MAX_PHOTO_BYTES = env.int("MAX_PHOTO_BYTES", default=10 * 1024 * 1024)

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    DEBUG = False
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    # Static files (serve): hashed names + gzip variants, served by WhiteNoise.
    STORAGES["staticfiles"] = {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
}
