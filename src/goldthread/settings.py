"""Django settings. Every knob is an environment variable documented in docs/configuration.md.

Defaults give a single-machine install: SQLite in a per-user data directory, no network, no CDN.
"""

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from platformdirs import user_data_dir

DATA_DIR = Path(os.environ.get("GOLDTHREAD_DATA_DIR") or user_data_dir("goldthread", appauthor=False))
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    """Prefer the environment; otherwise keep one per data dir so sessions survive restarts."""
    if key := os.environ.get("GOLDTHREAD_SECRET_KEY"):
        return key
    path = DATA_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = os.environ.get("GOLDTHREAD_DEBUG", "") == "1"
ALLOWED_HOSTS = [h.strip() for h in os.environ.get("GOLDTHREAD_ALLOWED_HOSTS", "*").split(",") if h.strip()]

# The system-wide classification banner shown on every page and exported document.
CLASSIFICATION = os.environ.get("GOLDTHREAD_CLASSIFICATION", "UNCLASSIFIED")

# The documentation that Help shows inside the app; by default the docs/ beside src/ in a checkout.
DOCS_DIR = Path(os.environ.get("GOLDTHREAD_DOCS_DIR") or Path(__file__).resolve().parents[2] / "docs")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "axes",
    "ninja",  # serves the API explorer's own assets, so /api/v1/docs needs no CDN
    "goldthread.core",
    "goldthread.strategy",
    "goldthread.events",
    "goldthread.planning",
    "goldthread.delivery",
    "goldthread.folders",
    "goldthread.readiness",
    "goldthread.search",
    "goldthread.aars",
    "goldthread.measures",
    "goldthread.evaluation",
    "goldthread.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "goldthread.web.middleware.SecurityHeaders",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "goldthread.web.middleware.IdleTimeout",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "goldthread.web.middleware.ProxyRemoteUser",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "goldthread.urls"
WSGI_APPLICATION = "goldthread.wsgi.application"

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
                "goldthread.web.context.markings",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("GOLDTHREAD_DATABASE_URL") or f"sqlite:///{DATA_DIR / 'goldthread.sqlite3'}",
        conn_max_age=60,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # WAL lets readers go on while one writer commits; IMMEDIATE avoids upgrade deadlocks.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;",
        "transaction_mode": "IMMEDIATE",
    }
    # A file, not memory, so that tests can run several real server processes against the test database.
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test.sqlite3")}
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No just-in-time compilation of queries: the evaluation's counts cost enough to trigger it, and compiling took
    # half a second of a one-second query; none of Goldthread's queries runs long enough to repay it.
    options = DATABASES["default"].setdefault("OPTIONS", {})
    options["options"] = f"-c jit=off {options.get('options', '')}".strip()

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses log-ins while a user name is locked out
    "django.contrib.auth.backends.ModelBackend",
    "goldthread.web.middleware.ExistingRemoteUserBackend",  # only ever reached with a proxy's header; see below
]
# After this many failed log-ins for one user name from one address, that pair is locked out for the cool-off time.
AXES_FAILURE_LIMIT = int(os.environ.get("GOLDTHREAD_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("GOLDTHREAD_LOGIN_LOCKOUT_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "web/locked_out.html"
AXES_VERBOSE = False

# Single sign-on through a reverse proxy: the header that carries the logged-in user name, e.g. X-Remote-User.
REMOTE_USER_HEADER = os.environ.get("GOLDTHREAD_REMOTE_USER_HEADER", "")
PASSWORD_HASHERS = [
    "goldthread.core.hashers.Argon2Hasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

SESSION_COOKIE_AGE = int(os.environ.get("GOLDTHREAD_SESSION_IDLE_SECONDS", "900"))
# SESSION_COOKIE_AGE is an idle timeout: a session is renewed by the requests made with it
# (goldthread.web.middleware.IdleTimeout), at most once in this many seconds rather than written on every request.
SESSION_RENEW_SECONDS = min(60, SESSION_COOKIE_AGE // 15)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = os.environ.get("GOLDTHREAD_SECURE_COOKIES", "") == "1"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = False
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True  # serve straight from the installed packages; no collectstatic step needed

# Where users reach Goldthread; used for links in e-mail.
BASE_URL = os.environ.get("GOLDTHREAD_BASE_URL", "http://127.0.0.1:8000")
# Mail: through an SMTP server when GOLDTHREAD_SMTP_HOST is set, otherwise written as files to DATA_DIR/mail,
# so that a machine without a mail server loses nothing and the messages can be read there.
DEFAULT_FROM_EMAIL = os.environ.get("GOLDTHREAD_MAIL_FROM", "goldthread@localhost")
if os.environ.get("GOLDTHREAD_SMTP_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = os.environ["GOLDTHREAD_SMTP_HOST"]
    EMAIL_PORT = int(os.environ.get("GOLDTHREAD_SMTP_PORT", "25"))
    EMAIL_HOST_USER = os.environ.get("GOLDTHREAD_SMTP_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("GOLDTHREAD_SMTP_PASSWORD", "")
    EMAIL_USE_TLS = os.environ.get("GOLDTHREAD_SMTP_STARTTLS", "") == "1"
    EMAIL_TIMEOUT = 10
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = DATA_DIR / "mail"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("GOLDTHREAD_LOG_LEVEL", "WARNING")},
}

# Country folders: a section not verified for this many days is stale and its owner is reminded; attachments are
# stored under DATA_DIR/attachments and refused above this size.
FOLDER_STALE_DAYS = int(os.environ.get("GOLDTHREAD_FOLDER_STALE_DAYS", "180"))
ATTACHMENT_MAX_MB = int(os.environ.get("GOLDTHREAD_ATTACHMENT_MAX_MB", "10"))
AAR_DUE_DAYS = int(os.environ.get("GOLDTHREAD_AAR_DUE_DAYS", "30"))
# Evaluation results are kept per state of the data (evaluation/cache.py), in each process's memory, up to this
# many megabytes.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "evaluation": {
        "BACKEND": "goldthread.evaluation.cache.InMemory",
        "LOCATION": "evaluation",
        "TIMEOUT": 24 * 3600,
        "OPTIONS": {
            "MAX_ENTRIES": 500,
            "MAX_BYTES": int(os.environ.get("GOLDTHREAD_EVALUATION_KEEP_MB", "100")) * 2**20,
        },
    },
}
# How long a page may show evaluation figures from before others' latest changes (evaluation/cache.py).
EVALUATION_MAX_AGE = int(os.environ.get("GOLDTHREAD_EVALUATION_MAX_AGE", "300"))
# Evaluation: an indicator without approved data for this many of its periods is stale; an event entered fewer than
# this many days before it starts was entered late.
STALE_PERIODS = int(os.environ.get("GOLDTHREAD_STALE_PERIODS", "2"))
# How many threads read the independent parts of one report at once (core/threads.py); 1 reads them in turn.
READ_THREADS = max(1, int(os.environ.get("GOLDTHREAD_READ_THREADS") or min(4, os.cpu_count() or 1)))
EVENT_ENTRY_DAYS = int(os.environ.get("GOLDTHREAD_EVENT_ENTRY_DAYS", "90"))
ATTACHMENT_DIR = DATA_DIR / "attachments"
# Uploads up to the attachment limit stay in memory; a larger one spills to a temporary file and is refused unread.
FILE_UPLOAD_MAX_MEMORY_SIZE = ATTACHMENT_MAX_MB * 1024 * 1024 + 1
