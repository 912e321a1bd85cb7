"""Settings for the test suite: fast hashing, in-memory media, the same database choice as base."""

import os
import tempfile

from .base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# A worker started by a fault test (tests/exchange/test_job_faults.py) shares the test's media directory.
MEDIA_ROOT = os.environ.get("BANGFU_TEST_MEDIA_ROOT") or tempfile.mkdtemp(prefix="bangfu-media-")
STATIC_ROOT = tempfile.mkdtemp(prefix="bangfu-static-")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
AXES_ENABLED = True
WHITENOISE_AUTOREFRESH = True  # no collectstatic before tests
HUEY = {"huey_class": "huey.MemoryHuey", "name": "bangfu-test", "immediate": True}
# The suite sends thousands of requests from one address: rate limits are switched on by their own tests.
RATELIMIT_ENABLE = False
# The suite is one process, whose memory is then as shared as production's Redis: sessions as they are read there.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
