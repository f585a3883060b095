"""The demo's sensor and fleet simulator (`terang.demo.simulator`, `simulate-sensors`). Kept apart
from `tests/demo`, whose package shares one seeded demo city: these tests count what the
simulator alone stores in an empty database."""
