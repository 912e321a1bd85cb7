"""Settings shared by every environment; local defaults (SQLite under var/) unless the environment says otherwise."""

import os
import secrets
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parents[3]
VAR_DIR = Path(os.environ.get("BANGFU_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    """The key from the environment; else one generated into var/ on first run (never a secret in the repo)."""
    key = os.environ.get("DJANGO_SECRET_KEY")
    if key:
        return key
    path = VAR_DIR / "secret_key"
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_urlsafe(50))
    return path.read_text().strip()


def _flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    return default if value is None else value.lower() in {"1", "true", "yes", "on"}


SECRET_KEY = _secret_key()
DEBUG = _flag("BANGFU_DEBUG", False)
ALLOWED_HOSTS = [h for h in os.environ.get("BANGFU_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "axes",
    "ninja",
    "bangfu.accounts",
    "bangfu.audit",
    "bangfu.registry",
    "bangfu.standards",
    "bangfu.cases",
    "bangfu.ledger",
    "bangfu.programmes",
    "bangfu.web",
    "huey.contrib.djhuey",
    "bangfu.exchange",
    "bangfu.medical",
    "bangfu.demo",
    "bangfu.reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "bangfu.common.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # API rate limits by path (per address, per token): before any work is done for the request.
    "bangfu.common.ratelimit.RateLimitMiddleware",
    # Before CSRF and the views: NUL characters, oversized or too deeply nested JSON, absurd ids (a 4xx, never a 500).
    "bangfu.common.middleware.InputGuardMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "bangfu.common.middleware.RequestContextMiddleware",
    "bangfu.common.middleware.PasswordChangeRequiredMiddleware",
    # Below the middleware that add headers (CSP, X-Frame-Options, Cache-Control), so that its page gets them.
    "bangfu.web.errors.MethodNotAllowedPageMiddleware",
    # Axes goes last so that it sees the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "bangfu.config.urls"
# A stale form says 页面已过期 in the site's layout instead of Django's English CSRF page.
CSRF_FAILURE_VIEW = "bangfu.web.errors.csrf_failure"
WSGI_APPLICATION = "bangfu.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'bangfu.sqlite3'}",
        conn_max_age=int(os.environ.get("BANGFU_CONN_MAX_AGE", "60")),
        # A connection kept between requests is checked before reuse: a dropped one is replaced, not a 500.
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

# Argon2 sized for the server (bangfu/accounts/hashers.py); argon2 hashes with other parameters upgrade at login.
PASSWORD_HASHERS = [
    "bangfu.accounts.hashers.ServerArgon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's, reading the user with their organisation (one query per request instead of two). Sessions made under
    # the former path (django.contrib.auth.backends.ModelBackend) sign in again once.
    "bangfu.accounts.backends.UserBackend",
]
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/api/docs"

# django-axes: five failures lock the username from that address for an hour.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 1
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True

# Cookies: HttpOnly and SameSite everywhere; Secure whenever the site is served over HTTPS (production).
HTTPS = _flag("BANGFU_HTTPS", False)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 8 * 60 * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SECURE = HTTPS
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)

LANGUAGE_CODE = "zh-hans"
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_ROOT = VAR_DIR / "media"
# Documents are personal data: they are never served from a public MEDIA_URL, only through access-checked views.
MEDIA_URL = "/media-not-served/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
# A JSON body (the API's requests, the public assessment): checked for size and nesting before any parser runs.
BANGFU_JSON_MAX_BYTES = 1024 * 1024
BANGFU_JSON_MAX_DEPTH = 32
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DOCUMENT_MAX_BYTES = 10 * 1024 * 1024

# Background jobs (imports, department files): Huey on SQLite under var/ by default, Redis when REDIS_URL is set.
# Run the worker with `manage.py run_huey`.
REDIS_URL = os.environ.get("REDIS_URL", "")
HUEY = (
    {"huey_class": "huey.RedisHuey", "name": "bangfu", "url": REDIS_URL, "immediate": False}
    if REDIS_URL
    else {"huey_class": "huey.SqliteHuey", "name": "bangfu", "filename": str(VAR_DIR / "huey.sqlite3"),
          "immediate": False}
)
# The cache: Redis in production (shared by the app servers: rate limits count across them), memory otherwise. Django's
# Redis backend with one client per pool (bangfu/common/cache.py: half the CPU of each cache operation).
CACHES = (
    {"default": {"BACKEND": "bangfu.common.cache.RedisCache", "LOCATION": REDIS_URL,
                 "KEY_PREFIX": os.environ.get("BANGFU_CACHE_PREFIX", "bangfu")}}
    if REDIS_URL
    else {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "bangfu"}}
)
# Sessions read from the shared cache (Redis), written through to the database: no session query on most requests.
# Only where the cache is shared: a process's own memory would keep a session that a sign-out in another app server
# (gunicorn's other workers) deleted, still signed in there until it expired.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db" if REDIS_URL else "django.contrib.sessions.backends.db"
# API rate limits (common/ratelimit.py): path prefix, group, per address, per token; the first match applies.
# The public endpoints (no login) are limited harder; their prefixes come first.
BANGFU_RATE_LIMITS = [
    ("/api/v1/assessments", "public-assessment", os.environ.get("BANGFU_RATE_PUBLIC", "60/m"), None),
    ("/api/v1/settlements", "public-settlement", os.environ.get("BANGFU_RATE_PUBLIC", "60/m"), None),
    ("/api/", "api", os.environ.get("BANGFU_RATE_API_ADDRESS", "1200/m"), os.environ.get("BANGFU_RATE_API_TOKEN", "600/m")),
]
RATELIMIT_ENABLE = _flag("BANGFU_RATELIMIT", True)

# Import limits: an uploaded exchange file, the rows of one sheet, and an .xlsx's unpacked size (zip bombs).
# The salt of the ID numbers' hashes in a population file exported from the archive (reports.population): from the
# environment only, never in the repository; without it (16 characters or more) the export is refused.
BANGFU_EXPORT_SALT = os.environ.get("BANGFU_EXPORT_SALT", "")
EXCHANGE_MAX_BYTES = int(os.environ.get("BANGFU_EXCHANGE_MAX_BYTES", str(80 * 1024 * 1024)))
EXCHANGE_MAX_ROWS = int(os.environ.get("BANGFU_EXCHANGE_MAX_ROWS", "400000"))
EXCHANGE_MAX_UNPACKED = int(os.environ.get("BANGFU_EXCHANGE_MAX_UNPACKED", str(512 * 1024 * 1024)))
EXCHANGE_MAX_RATIO = 100  # unpacked / packed: real workbooks stay far below, zip bombs far above
# A background worker's address-space limit (exchange/limits.py): a job that would exceed it fails cleanly.
BANGFU_WORKER_MEMORY_MB = int(os.environ.get("BANGFU_WORKER_MEMORY_MB", "3072"))
# A running job's lease, renewed as it works; a job whose lease ran out is restarted or failed (exchange/leases.py).
BANGFU_JOB_LEASE_SECONDS = int(os.environ.get("BANGFU_JOB_LEASE_SECONDS", "600"))
# A round's payment list over an area of this many households or more is prepared by the worker (programmes).
BANGFU_ROUND_BACKGROUND_FROM = int(os.environ.get("BANGFU_ROUND_BACKGROUND_FROM", "5000"))
# The spreadsheet reader runs in a child process capped at this address space and CPU time (bangfu.exchange.limits).
EXCHANGE_READER_MEMORY = int(os.environ.get("BANGFU_EXCHANGE_READER_MEMORY", str(4 * 1024**3)))
EXCHANGE_READER_SECONDS = int(os.environ.get("BANGFU_EXCHANGE_READER_SECONDS", "600"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("BANGFU_LOG_LEVEL", "WARNING")},
    # A 403 or 404 is the access rules at work, not a fault: only server errors are logged with their traceback.
    "loggers": {"django.request": {"level": "ERROR"}},
}
