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
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "bangfu.common.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "bangfu.common.middleware.RequestContextMiddleware",
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
    "django.contrib.auth.backends.ModelBackend",
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
# Import limits: an uploaded exchange file, the rows of one sheet, and an .xlsx's unpacked size (zip bombs).
EXCHANGE_MAX_BYTES = int(os.environ.get("BANGFU_EXCHANGE_MAX_BYTES", str(80 * 1024 * 1024)))
EXCHANGE_MAX_ROWS = int(os.environ.get("BANGFU_EXCHANGE_MAX_ROWS", "400000"))
EXCHANGE_MAX_UNPACKED = 20 * EXCHANGE_MAX_BYTES
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
