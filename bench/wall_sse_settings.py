"""Settings of the SSE prototype process (bench only): the site's settings, with this
prototype's URLconf in front and no persistent request connections.

    DJANGO_SETTINGS_MODULE=wall_sse_settings uvicorn --app-dir bench wall_sse_app:application
"""

from terang.settings import *  # noqa: F403

ROOT_URLCONF = "wall_sse_app"
# Django's advice under ASGI: a request's connection lives in a thread that dies with the
# request, so persistent connections would pile up. The hub keeps one connection of its own.
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
