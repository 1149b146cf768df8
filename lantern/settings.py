"""Lantern's settings, read from the environment.

DATABASE_URL        database (default: SQLite file var/lantern.sqlite3)
PREPARED_STATEMENTS "0" runs every query unprepared on PostgreSQL (behind a connection pooler
                    in transaction mode, which cannot keep a connection's prepared statements);
                    default "1": the reads that ask for it are prepared (foundation.compiled)
SECRET_KEY          or SECRET_KEY_FILE; a generated key is used only when DEBUG is on
DEBUG               "1" for local development (`make run` sets it); never in production
ALLOWED_HOSTS       comma-separated host names (production)
SECURE_HTTP         "0" turns off secure cookies, HSTS and the HTTPS redirect; it defaults
                    to "1" unless DEBUG is on (the local `make run` serves plain http)
EMAIL_URL-like      EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, DEFAULT_FROM_EMAIL
LANTERN_BASE_URL    the address Lantern is served at, for links in emails
LANTERN_NOTIFY_BY_EMAIL  email notifications as well as showing them in Lantern (default on)
LANTERN_DIP_SAMPLE_SIZE  how many records a month's dip-sample audit draws (default 5)
MONITORING_RECOUNT_SECONDS  how often `lantern work` counts each area's monitoring data set
                    again (default 900: every 15 minutes)
TASKING_REDRAW_SECONDS  how long a tasking list drawn for a user is kept before it is drawn
                    again (default 60)
AUDIT_KEY_FILE      the audit keyring (`<key id> <64 hex digits>` a line, newest last), kept
                    outside the database; required unless DEBUG is on (then generated in var/)
AUDIT_SIGNING_KEY_FILE  Ed25519 private key (PEM) that signs audit checkpoints
AUDIT_CHECKPOINT_LOG    the file signed checkpoints are appended to, outside the database
AUDIT_SEALING       "sequencer" (default unless DEBUG is on): audit rows are written without a
                    lock and `lantern work` chains them; "inline": each is chained as written
AUDIT_SEAL_SECONDS  how often `lantern work` runs the audit sequencer (default 1)
SESSION_ABSOLUTE_SECONDS  how long a session may last however active (default 12 hours)
SESSION_IDLE_SECONDS, SESSION_WARNING_SECONDS, DRAFT_DAYS   idle timeout, its warning, drafts
SESSION_RENEW_SECONDS  activity renews the session on the server at most this often (default 60)
"""

import os
import secrets
from collections.abc import Callable
from pathlib import Path

import dj_database_url
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from csp.constants import NONCE, NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("LANTERN_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# The tests run with lantern/settings_test.py, which imports these and changes only what
# tests need; nothing here depends on how Lantern is started.
DEBUG = env_bool("DEBUG")
SECURE_HTTP = env_bool("SECURE_HTTP", default=not DEBUG)


def _secret_key() -> str:
    if key := os.environ.get("SECRET_KEY"):
        return key
    if path := os.environ.get("SECRET_KEY_FILE"):
        return Path(path).read_text().strip()
    if not DEBUG:
        # Left empty: commands that sign nothing (`lantern screen`, `lantern due`, migrations)
        # still run, while anything that signs (sessions, CSRF) fails, and the web server
        # refuses to start (lantern/wsgi.py).
        return ""
    # Development only: a key generated once per checkout, kept out of the repository.
    key_file = VAR_DIR / "dev-secret-key"
    if not key_file.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()


def development_file(name: str, make: Callable[[], bytes]) -> str:
    """A key generated once per checkout into var/, for local development and tests only."""
    path = VAR_DIR / name
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as file:
            file.write(make())
    return str(path)


def new_audit_keyring() -> bytes:
    return f"dev-{secrets.token_hex(4)} {secrets.token_hex(32)}\n".encode()


def new_signing_key() -> bytes:
    return Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption())


# The audit trail's keys live outside the database (docs/decisions/0010-keyed-audit-chain.md).
# In production they must be given: lantern/wsgi.py refuses to start without AUDIT_KEY_FILE.
# The tests generate theirs the same way (lantern/settings_test.py).
AUDIT_KEY_FILE = os.environ.get("AUDIT_KEY_FILE") or (
    development_file("audit-keyring", new_audit_keyring) if DEBUG else "")
AUDIT_SIGNING_KEY_FILE = os.environ.get("AUDIT_SIGNING_KEY_FILE") or (
    development_file("audit-signing-key.pem", new_signing_key) if DEBUG else "")
AUDIT_CHECKPOINT_LOG = os.environ.get("AUDIT_CHECKPOINT_LOG") or (
    str(VAR_DIR / "audit-checkpoints.log") if DEBUG else "")
# How audit rows join the chain (docs/decisions/0011-audit-sequencer.md): "sequencer" writes
# each sealed row without any lock and `lantern work` chains them in order every second;
# "inline" chains each row as it is written, under the chain head's lock (development, tests).
AUDIT_SEALING = os.environ.get("AUDIT_SEALING") or ("inline" if DEBUG else "sequencer")
if AUDIT_SEALING not in ("inline", "sequencer"):
    raise ValueError("AUDIT_SEALING is 'inline' or 'sequencer'.")
# `lantern work` runs the sequencer this often.
AUDIT_SEAL_SECONDS = float(os.environ.get("AUDIT_SEAL_SECONDS", 1))
# `lantern work` signs a checkpoint this often.
AUDIT_CHECKPOINT_SECONDS = int(os.environ.get("AUDIT_CHECKPOINT_SECONDS", 3600))
# Where batch entity resolution (`lantern link`) runs Splink: "duckdb" in process, or "spark"
# with the optional pyspark installed (`pip install -e .[spark]`; docs/performance.md).
LINKING_BACKEND = os.environ.get("LINKING_BACKEND", "duckdb")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")

INSTALLED_APPS = [
    "whitenoise.runserver_nostatic",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "rest_framework",
    "drf_spectacular",
    "django_htmx",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    # Lowest layer first (docs/architecture.md): the foundation, the feature apps, the site.
    "lantern.foundation",
    "lantern.people",
    "lantern.sharing",
    "lantern.pathway",
    "lantern.missing",
    "lantern.screening",
    "lantern.plans",
    "lantern.meetings",
    "lantern.intelligence",
    "lantern.monitoring",
    "lantern.site",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    # Django's, leaving the cookie alone when a page's script asks after its session ended.
    "lantern.foundation.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # Django's LoginRequiredMiddleware, keeping a form sent after the session ended.
    "lantern.foundation.middleware.KeepFormLoginRequiredMiddleware",
    "lantern.foundation.mfa.RequireSecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Signs out a session 12 hours old before any view (or the sign-in checks) sees it.
    "lantern.foundation.middleware.AbsoluteSessionLifetimeMiddleware",
    # Renews the session's idle clock at most once a minute (instead of saving every request).
    "lantern.foundation.middleware.RenewSessionMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "lantern.foundation.middleware.SensitivePageHeadersMiddleware",
    "lantern.foundation.middleware.AuditContextMiddleware",
    "lantern.foundation.middleware.DraftsMiddleware",
    # A page of a record merged into another leads to the kept record's (issue 15, item 2).
    "lantern.foundation.middleware.MergedRecordMiddleware",
    # Last, as django-axes asks: it turns a lockout raised during sign-in into its response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "lantern.urls"
WSGI_APPLICATION = "lantern.wsgi.application"

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
                "lantern.site.context_processors.lantern",
                "lantern.site.context_processors.overdue_work",
            ],
            "builtins": ["lantern.foundation.templatetags.govuk"],
        },
    }
]
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

# --- Database ------------------------------------------------------------------------------
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'lantern.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE transactions take the write lock up front, so two requests that both write
    # (an audit row on every read) wait for each other instead of failing with "locked".
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    VAR_DIR.mkdir(parents=True, exist_ok=True)
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No JIT compilation: PostgreSQL judged the visibility queries (ORs of EXISTS) costly
    # enough to compile on every request, which took most of a page's time at 100,000
    # children (issue 18, docs/performance.md). Lantern's queries are short; JIT never pays.
    # random_page_cost 1.1 (solid-state storage, and a working set in memory): with the
    # default 4 PostgreSQL reads every child to hash-join a worker's few hundred grants
    # rather than fetch those children by key (docs/performance.md, "Visibility").
    # Prepared statements: only the reads that ask for it (lantern.foundation.compiled), each
    # planned once per connection for any values (plan_cache_mode, which touches prepared
    # statements only); psycopg prepares nothing by itself (a threshold never reached).
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
        "-c jit=off -c random_page_cost=1.1 -c plan_cache_mode=force_generic_plan")
    DATABASES["default"]["OPTIONS"]["prepare_threshold"] = 2**31 - 1
PREPARED_STATEMENTS = os.environ.get("PREPARED_STATEMENTS", "1") != "0"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- People and sign-in --------------------------------------------------------------------
AUTH_USER_MODEL = "foundation.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses sign-in while an account is locked out
    # Django's, loading the user with their agency (one query a page fewer).
    "lantern.foundation.backends.ModelBackend",
]
# Five wrong passwords from one address lock the account, at that address, for 15 minutes
# (django-axes). The lock is on the username and the address together, so an outsider who knows
# a username cannot lock its owner out from elsewhere (issue 13); one address cannot guess more
# than five passwords of an account per 15 minutes, and django-otp throttles codes on top.
AXES_FAILURE_LIMIT = int(os.environ.get("SIGN_IN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("SIGN_IN_LOCKOUT_HOURS", "0.25"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "lantern.foundation.audit.client_ip"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
# Every account signs in with a second factor: a TOTP authenticator app (django-otp).
OTP_TOTP_ISSUER = "Lantern"
# RFC 6238 refuses a code that was already used. Only for local development (`make run`), a
# code may be used again within its own 30-second step, so scripted demos can sign in twice.
OTP_ALLOW_REUSE_IN_STEP = DEBUG
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Sessions end after 30 minutes without activity, and cannot outlive the browser; however active,
# a session ends 12 hours after sign-in (foundation.middleware).
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_IDLE_SECONDS", 30 * 60))
SESSION_ABSOLUTE_SECONDS = int(os.environ.get("SESSION_ABSOLUTE_SECONDS", 12 * 60 * 60))
# Activity renews a session on the server at most once a minute, not on every request
# (foundation.middleware.RenewSessionMiddleware): saving it on every page cost three queries.
SESSION_SAVE_EVERY_REQUEST = False
SESSION_RENEW_SECONDS = int(os.environ.get("SESSION_RENEW_SECONDS", 60))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "lantern.foundation.views.csrf_failure"
# The idle-timeout warning opens this many seconds before the session would end.
SESSION_WARNING_SECONDS = int(os.environ.get("SESSION_WARNING_SECONDS", 2 * 60))
# Drafts of long forms (and forms sent after the session ended) are kept this many days.
DRAFT_DAYS = int(os.environ.get("DRAFT_DAYS", "14"))
# How many records a month's dip sample holds (seed 001: monthly audits dip sample the risk
# assessments); empty for the default of lantern/domain/data/dip_sample.toml.
DIP_SAMPLE_SIZE = int(os.environ["LANTERN_DIP_SAMPLE_SIZE"]) if os.environ.get(
    "LANTERN_DIP_SAMPLE_SIZE") else None
# The monitoring data set is counted ahead (lantern/monitoring/snapshots.py): `lantern work`
# counts each area's default period again when it is older than this.
MONITORING_RECOUNT_SECONDS = int(os.environ.get("MONITORING_RECOUNT_SECONDS", "900"))
# A tasking list as drawn for a user is kept this long (lantern/monitoring/tasking.py): the
# meeting goes through the same list, and the chair can draw it again at any time.
TASKING_REDRAW_SECONDS = int(os.environ.get("TASKING_REDRAW_SECONDS", "60"))

# --- Security headers ----------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_SECURE = SECURE_HTTP
CSRF_COOKIE_SECURE = SECURE_HTTP
SECURE_SSL_REDIRECT = SECURE_HTTP
SECURE_HSTS_SECONDS = 31_536_000 if SECURE_HTTP else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HTTP
SECURE_HSTS_PRELOAD = False
# Behind a TLS proxy, the client's address is the last one the proxy added to X-Forwarded-For
# (lantern.foundation.audit.client_ip): audit rows and the sign-in lockout use it.
BEHIND_TLS_PROXY = env_bool("BEHIND_TLS_PROXY")
if BEHIND_TLS_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    },
}

# --- Static files --------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if not DEBUG
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG
if WHITENOISE_USE_FINDERS:
    # Files are served from the apps' static folders; an empty STATIC_ROOT keeps WhiteNoise
    # from warning that it is missing.
    STATIC_ROOT.mkdir(exist_ok=True)
MEDIA_ROOT = VAR_DIR / "media"

# --- Email ---------------------------------------------------------------------------------
if os.environ.get("EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = os.environ["EMAIL_HOST"]
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=True)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "lantern@localhost")
# Where Lantern is served, for links in emails (`lantern work` overdue notices).
BASE_URL = os.environ.get("LANTERN_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
# Notifications (lantern.foundation.notify.tell) are also emailed unless this is turned off.
NOTIFY_BY_EMAIL = env_bool("LANTERN_NOTIFY_BY_EMAIL", default=True)

# --- Internationalisation ------------------------------------------------------------------
LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = False
USE_TZ = True

# --- API -----------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "lantern.foundation.pagination.CappedLimitOffsetPagination",
    "PAGE_SIZE": 50,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Lantern API",
    "DESCRIPTION": "Partner-facing API of Lantern. Every call is checked and audited "
    "like the pages it mirrors.",
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
