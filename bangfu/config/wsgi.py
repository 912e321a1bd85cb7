"""WSGI entry point for gunicorn (`bangfu run`)."""

import os

from django.core.wsgi import get_wsgi_application
from django.urls import reverse

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bangfu.config.settings.base")

application = get_wsgi_application()
# Every view and the API's schemas imported now, while the worker starts (about half a second of CPU), rather than
# in the first request it serves.
reverse("web:public_selfcheck")
