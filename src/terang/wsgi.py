"""WSGI entry point: production serves this with gunicorn gthread workers."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "terang.settings")
application = get_wsgi_application()
