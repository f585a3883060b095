"""The application registry: named stores that domain apps append to in `AppConfig.ready()`.

Apps meet here instead of importing each other (NetBox's registry, see STYLE.md section 7b):
core declares a store, each app appends its contribution, and core code (the wall, the MQTT
worker, the schedulers, search) iterates the store. A store, once declared, cannot be replaced
or deleted, only appended to, so no app can silently drop another's contribution.

Stores:
- ``wall_sources``: what each domain shows on the control-room wall (`core.wall`).
- ``map_layers``: layers each domain adds to maps.
- ``mqtt_topics``: MQTT topic consumers the ingest worker subscribes to (`core.ingest`).
- ``periodic_jobs``: jobs run by Celery beat and by the embedded scheduler.
- ``search_providers``: contributions to site search.
- ``functions``: named service functions one app offers another (budget publishing into Satu
  Data), looked up by name so the caller never imports the provider.
"""

from __future__ import annotations

from typing import Any


class Registry(dict[str, Any]):
    """A mapping of stores whose keys are fixed once declared."""

    def __setitem__(self, key: str, value: Any) -> None:
        if key in self:
            raise KeyError(f"registry store {key!r} is already declared and cannot be replaced")
        super().__setitem__(key, value)

    def __delitem__(self, key: str) -> None:
        raise TypeError("registry stores cannot be deleted")


registry = Registry()
registry["wall_sources"] = []
registry["map_layers"] = []
registry["mqtt_topics"] = []
registry["periodic_jobs"] = {}
registry["search_providers"] = []
registry["functions"] = {}
