"""Production settings: secrets and hosts from the environment, HTTPS only."""

import os

from django.core.exceptions import ImproperlyConfigured

# Checked before base is imported, so that production never falls back to a generated key.
if not os.environ.get("DJANGO_SECRET_KEY"):
    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set in production")

from .base import *  # noqa: E402, F403

SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]
DEBUG = False
HTTPS = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_NAME = "__Secure-sessionid"
CSRF_COOKIE_NAME = "__Secure-csrftoken"
SECURE_SSL_REDIRECT = os.environ.get("BANGFU_SSL_REDIRECT", "1") == "1"
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
# The site is HTTPS only on its domain and every subdomain, so it may be on the browsers' preload list.
SECURE_HSTS_PRELOAD = True
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("BANGFU_CSRF_TRUSTED_ORIGINS", "").split(",") if o]
