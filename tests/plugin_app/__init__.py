"""A test-only Django app that plugs into the platform's registries from its `ready()` alone,
to prove a new domain needs no edit anywhere else. Installed only by the tests that use it."""
