"""WSGI entry point for gunicorn (`bangfu run`)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bangfu.config.settings.base")

application = get_wsgi_application()
