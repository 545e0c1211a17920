"""Settings: every value comes from the environment (docs/configuration.md)."""

import secrets
from datetime import date
from pathlib import Path

import dj_database_url

from config.env import env_bool, env_int, env_list, env_str
from reclamations.core.addresses import parse_networks

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(env_str("RECLAMATIONS_DATA_DIR", "data")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("DEBUG", False)


def _secret_key() -> str:
    """Use SECRET_KEY when given; otherwise generate one once and keep it in the data dir."""
    given = env_str("SECRET_KEY")
    if given:
        return given
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
# Earlier keys, still accepted (Django's signatures; the secrets the database keeps sealed,
# core/sealed.py) after SECRET_KEY is replaced: comma-separated.
SECRET_KEY_FALLBACKS = env_list("SECRET_KEY_FALLBACKS", [])

# The key that seals the chronology's chain (complaints/chain_keys.py, decision 0021), kept
# outside the database: given here, with the previous ones (comma-separated) to verify the
# events they sealed, or else a key file (by default chain_key in the data directory, created
# once). Back it up apart from the database.
RECLAMATIONS_CHAIN_KEY = env_str("RECLAMATIONS_CHAIN_KEY")
RECLAMATIONS_CHAIN_KEYS_OLD = env_list("RECLAMATIONS_CHAIN_KEYS_OLD", [])
RECLAMATIONS_CHAIN_KEY_FILE = env_str("RECLAMATIONS_CHAIN_KEY_FILE")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "reclamations.core",
    "reclamations.complaints",
    "reclamations.api",
    "reclamations.web",
    "reclamations.portal",
    "reclamations.outbox",
    "reclamations.letters",
    "reclamations.reminders",
    "reclamations.intake",
    "reclamations.reporting",
    "reclamations.backups",
    "reclamations.privacy",
    "reclamations.register_import",
]

MIDDLEWARE = [
    "reclamations.core.logs.RequestContextMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "reclamations.web.middleware.NoStoreMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "reclamations.core.languages.StaffLanguage",
    "django.contrib.messages.middleware.MessageMiddleware",
    "reclamations.web.sessions.SessionExpiryMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "reclamations.web.middleware.ContentSecurityPolicyMiddleware",
    "reclamations.api.middleware.AddressTooLongMiddleware",
    "reclamations.web.middleware.NulInUrlMiddleware",
    "reclamations.api.middleware.AuditorApiAccessMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "reclamations.web.context.navigation",
            ],
        },
    },
]
# The text inputs, checkboxes and selects written in Python, Django's HTML to the byte (the
# register's filters were a fifth of its page's time through the widget templates).
FORM_RENDERER = "reclamations.web.widget_html.WidgetsInPython"

DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        # No parallel workers for a page's queries: starting them cost more than the few
        # rows a page reads (a search's first 25 among 1,000,000: 17 ms with two workers, 5
        # without). Options given in DATABASE_URL come after, so they prevail.
        _options = DATABASES["default"].setdefault("OPTIONS", {})
        _options["options"] = " ".join(
            ["-c max_parallel_workers_per_gather=0", _options.get("options", "")]
        ).strip()
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "reclamations.sqlite3",
            "OPTIONS": {
                # IMMEDIATE: a writer takes the lock at BEGIN, so two writers queue instead
                # of failing on a lock upgrade; WAL lets readers go on meanwhile.
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                    "PRAGMA foreign_keys=ON; PRAGMA busy_timeout=20000;"
                ),
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "register"
LOGOUT_REDIRECT_URL = "login"

# The reverse proxies whose X-Forwarded-For is believed (addresses or CIDR blocks, comma-
# separated); empty: nobody's, the client is whoever connects (core/addresses.py).
RECLAMATIONS_TRUSTED_PROXIES = env_list("RECLAMATIONS_TRUSTED_PROXIES", [])
try:
    parse_networks(RECLAMATIONS_TRUSTED_PROXIES)
except ValueError as _error:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(f"RECLAMATIONS_TRUSTED_PROXIES : {_error}.") from None

# Login throttling: a name is locked for the address that failed with it (not for everyone:
# anybody could otherwise lock a manager out), the address being the real client's.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 1  # hours
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "reclamations.core.security.client_address"
# The security journal (core.SecurityRecord) keeps this many days; the worker purges the rest.
RECLAMATIONS_SECURITY_JOURNAL_DAYS = env_int("RECLAMATIONS_SECURITY_JOURNAL_DAYS", 365)

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "reclamations" / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # whitenoise warns on every request when it is missing
# The user guide's screenshots live beside its Markdown (reclamations/web/guide/images/), so
# that the guide reads the same in the repository and in the help pages (decision 0035).
STATICFILES_DIRS = [("reclamations/guide", BASE_DIR / "reclamations" / "web" / "guide" / "images")]
MEDIA_ROOT = DATA_DIR / "files"
# Stored files (documents, kept e-mails): the data directory's files/, or an S3-compatible
# bucket when RECLAMATIONS_S3_BUCKET is given, so that several machines share them (decision
# 0028). Without keys here, boto3 finds its own (AWS_* variables, an instance's role).
S3_BUCKET = env_str("RECLAMATIONS_S3_BUCKET").strip()
S3_ACCESS_KEY_ID = env_str("RECLAMATIONS_S3_ACCESS_KEY_ID").strip()
S3_SECRET_ACCESS_KEY = env_str("RECLAMATIONS_S3_SECRET_ACCESS_KEY")
S3_ADDRESSING_STYLE = env_str("RECLAMATIONS_S3_ADDRESSING_STYLE").strip().lower()
if bool(S3_ACCESS_KEY_ID) != bool(S3_SECRET_ACCESS_KEY):
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        "RECLAMATIONS_S3_ACCESS_KEY_ID et RECLAMATIONS_S3_SECRET_ACCESS_KEY vont ensemble : "
        "donnez les deux, ou aucun pour les identifiants de boto3 (variables AWS_*, rôle)."
    )
if S3_ADDRESSING_STYLE not in ("", "auto", "path", "virtual"):
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        "RECLAMATIONS_S3_ADDRESSING_STYLE doit valoir path, virtual ou auto "
        f"(reçu : {S3_ADDRESSING_STYLE!r})."
    )
_default_storage: dict[str, object] = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
if S3_BUCKET:
    _default_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": env_str("RECLAMATIONS_S3_ENDPOINT_URL").strip() or None,
            "region_name": env_str("RECLAMATIONS_S3_REGION").strip() or None,
            "location": env_str("RECLAMATIONS_S3_PREFIX").strip().strip("/"),
            "addressing_style": S3_ADDRESSING_STYLE or None,
            # Evidence is never replaced: a name already taken gets a new one, as on disk.
            "file_overwrite": False,
            # The bucket stays private (no ACL is set); files reach users through the
            # application's own checks, never a bucket's address.
            "default_acl": None,
            "querystring_auth": True,
            # A stored file read for a download, a backup or verify is buffered on disk past
            # this size, not in memory.
            "max_memory_size": 2 * 1024 * 1024,
            **(
                {"access_key": S3_ACCESS_KEY_ID, "secret_key": S3_SECRET_ACCESS_KEY}
                if S3_ACCESS_KEY_ID
                else {}
            ),
        },
    }
STORAGES = {
    "default": _default_storage,
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = True

UPLOAD_MAX_BYTES = env_int("RECLAMATIONS_UPLOAD_MAX_BYTES", 10 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = UPLOAD_MAX_BYTES + 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
REGISTER_PAGE_SIZE = env_int("RECLAMATIONS_PAGE_SIZE", 25)

# Security: secure by default, relaxed only where plain HTTP on loopback needs it.
SECURE_HTTPS = env_bool("RECLAMATIONS_HTTPS", False)
SESSION_COOKIE_SECURE = SECURE_HTTPS
CSRF_COOKIE_SECURE = SECURE_HTTPS
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000 if SECURE_HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HTTPS
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
# Preloading is the domain owner's irreversible decision, not the application's: opt-in only.
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("RECLAMATIONS_BEHIND_PROXY", False) else None
)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_FAILURE_VIEW = "reclamations.web.views.errors.csrf_failure"
# A staff session ends after RECLAMATIONS_SESSION_IDLE_MINUTES without a request, and in any
# case RECLAMATIONS_SESSION_MAX_HOURS after the login (web/sessions.py).
SESSION_IDLE_SECONDS = env_int("RECLAMATIONS_SESSION_IDLE_MINUTES", 30) * 60
SESSION_COOKIE_AGE = env_int("RECLAMATIONS_SESSION_MAX_HOURS", 10) * 3600
# Accounts (core/accounts.py, core/two_factor.py): the name authenticator apps show, how long
# a new API token lasts unless its owner chooses, and the demo's exemptions (never in production).
OTP_TOTP_ISSUER = env_str("RECLAMATIONS_TOTP_ISSUER", "Réclamations")
API_TOKEN_DEFAULT_DAYS = 365
RECLAMATIONS_DEMO = env_bool("RECLAMATIONS_DEMO", False)

# "text" (readable, for development) or "json" (one JSON object per line, for a log collector:
# core/logs.py; `reclamations serve` then writes gunicorn's lines as JSON too).
LOG_FORMAT = env_str("RECLAMATIONS_LOG_FORMAT", "text").strip().lower()
if LOG_FORMAT not in ("text", "json"):
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        f"RECLAMATIONS_LOG_FORMAT doit valoir text ou json (reçu : {LOG_FORMAT!r})."
    )
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "reclamations.core.logs.JsonLinesFormatter"}},
    # Refusals (403, a refused form...) as one line with the account and the reason.
    "filters": {"refusals": {"()": "reclamations.core.refusal_logs.OneLineRefusals"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            **({"formatter": "json"} if LOG_FORMAT == "json" else {}),
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # WeasyPrint reports each step of a letter at INFO: noise in a server's log.
    "loggers": {
        "axes": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "django.request": {"filters": ["refusals"]},
        "django.security": {"filters": ["refusals"]},
    },
}

# --- Reminders and worker ---
# Absolute address of the site, for links in mail to staff (no request to take it from).
RECLAMATIONS_BASE_URL = env_str("RECLAMATIONS_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
# The client's page: how long an e-mailed link stays valid, how long the page stays open once
# a link is used (then a new link is asked for), and how many links a person may ask for.
RECLAMATIONS_CLIENT_LINK_HOURS = env_int("RECLAMATIONS_CLIENT_LINK_HOURS", 24)
RECLAMATIONS_CLIENT_SESSION_MINUTES = env_int("RECLAMATIONS_CLIENT_SESSION_MINUTES", 60)
RECLAMATIONS_LOOKUPS_PER_HOUR = env_int("RECLAMATIONS_LOOKUPS_PER_HOUR", 10)
# How long the link to give one's opinion, sent with the reply and the closure, stays valid.
RECLAMATIONS_SURVEY_DAYS = env_int("RECLAMATIONS_SURVEY_DAYS", 30)
# `reclamations serve` also starts `reclamations worker` when the database is SQLite.
EMBEDDED_WORKER = env_bool("RECLAMATIONS_EMBEDDED_WORKER", True)

# --- Health page (/sante/, docs/deployment.md) ---
# Unhealthy when no worker recorded a heartbeat for this long (the heartbeat is a job of the
# worker's loop, once a minute: a long backup delays it), or when a message has waited to be
# delivered for longer than this.
RECLAMATIONS_HEALTH_WORKER_MINUTES = env_int("RECLAMATIONS_HEALTH_WORKER_MINUTES", 10)
RECLAMATIONS_HEALTH_OUTBOX_MINUTES = env_int("RECLAMATIONS_HEALTH_OUTBOX_MINUTES", 30)

# --- Backups (docs/backups.md) ---
# The worker backs up into RECLAMATIONS_BACKUP_DIR every RECLAMATIONS_BACKUP_EVERY_HOURS and
# keeps the last RECLAMATIONS_BACKUP_KEEP; "off" turns the scheduled backup off (for a backup
# by cron with `reclamations backup`). By default in the data directory: better than none, but
# on the same disk: point it at another disk or a mounted share.
_backup_dir = env_str("RECLAMATIONS_BACKUP_DIR", str(DATA_DIR / "backups")).strip()
RECLAMATIONS_BACKUP_DIR = (
    None if _backup_dir.lower() in ("", "off") else Path(_backup_dir).resolve()
)
RECLAMATIONS_BACKUP_EVERY_HOURS = env_int("RECLAMATIONS_BACKUP_EVERY_HOURS", 24)
RECLAMATIONS_BACKUP_KEEP = env_int("RECLAMATIONS_BACKUP_KEEP", 14)
if RECLAMATIONS_BACKUP_EVERY_HOURS < 1 or RECLAMATIONS_BACKUP_KEEP < 1:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        "RECLAMATIONS_BACKUP_EVERY_HOURS et RECLAMATIONS_BACKUP_KEEP valent au moins 1."
    )

# --- Outgoing mail (outbox) ---
# Without an SMTP server (EMAIL_HOST empty), mail is written as .eml files into SENT_MAIL_DIR, so
# that the embedded install and the demo work without one (docs/configuration.md).
EMAIL_HOST = env_str("EMAIL_HOST")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        "EMAIL_USE_TLS (STARTTLS, port 587) et EMAIL_USE_SSL (TLS direct, port 465) s'excluent : "
        "n'en activez qu'un."
    )
# "password" (EMAIL_HOST_USER/PASSWORD, or none) or "oauth2" (XOAUTH2: Microsoft 365, Gmail).
EMAIL_AUTH = env_str("EMAIL_AUTH", "password").strip().lower()
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    (
        "reclamations.outbox.backends.OAuth2SmtpBackend"
        if EMAIL_AUTH == "oauth2"
        else "django.core.mail.backends.smtp.EmailBackend"
    )
    if EMAIL_HOST
    else "reclamations.outbox.backends.EmlFileBackend",
)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "reclamations@localhost")
SENT_MAIL_DIR = Path(env_str("RECLAMATIONS_SENT_MAIL_DIR", str(DATA_DIR / "sent-mail"))).resolve()
OUTBOX_BATCH = env_int("RECLAMATIONS_OUTBOX_BATCH", 50)

# --- Inbound mail (IMAP) ---
from django.core.exceptions import ImproperlyConfigured  # noqa: E402

# Empty IMAP_HOST: `fetch-mail` has nothing to poll and says so (the demo imports .eml files).
IMAP_HOST = env_str("IMAP_HOST")
IMAP_SECURITY = env_str("IMAP_SECURITY", "ssl").strip().lower()
if IMAP_SECURITY not in ("ssl", "starttls", "none"):
    raise ImproperlyConfigured(
        f"IMAP_SECURITY doit valoir ssl, starttls ou none (reçu : {IMAP_SECURITY!r})."
    )
IMAP_PORT = env_int("IMAP_PORT", 993 if IMAP_SECURITY == "ssl" else 143)
IMAP_USER = env_str("IMAP_USER")
IMAP_PASSWORD = env_str("IMAP_PASSWORD")
IMAP_FOLDER = env_str("IMAP_FOLDER", "INBOX")
# "move:FOLDER" moves each processed message there; "flag" marks it \Seen and $Reclamations.
IMAP_PROCESSED = env_str("IMAP_PROCESSED", "move:Traitees").strip()
if IMAP_PROCESSED != "flag" and not (
    IMAP_PROCESSED.startswith("move:") and IMAP_PROCESSED[len("move:") :].strip()
):
    raise ImproperlyConfigured(
        f"IMAP_PROCESSED doit valoir flag ou move:DOSSIER (reçu : {IMAP_PROCESSED!r})."
    )
IMAP_BATCH = env_int("IMAP_BATCH", 50)
# The day from which messages are read (YYYY-MM-DD), or "all"; empty: all, but a first reading
# of a mailbox with more than 500 unprocessed messages stops and asks for it.
IMAP_SINCE = env_str("IMAP_SINCE").strip().lower()
if IMAP_SINCE and IMAP_SINCE != "all":
    try:
        date.fromisoformat(IMAP_SINCE)
    except ValueError:
        raise ImproperlyConfigured(
            f"IMAP_SINCE doit être une date AAAA-MM-JJ ou all (reçu : {IMAP_SINCE!r})."
        ) from None
IMAP_TIMEOUT = env_int("IMAP_TIMEOUT", 60)
# How many organisations' mailboxes one worker reads at once (each in its own thread and
# database connection): a slow or unreachable server then holds up no other organisation. On
# PostgreSQL 4; on SQLite (embedded, an organisation or a few) one at a time by default.
IMAP_READERS = max(
    1, env_int("IMAP_READERS", 4 if "postgresql" in DATABASES["default"]["ENGINE"] else 1)
)
# The organisation (by name) whose register the mailbox feeds; empty: the only/first one.
IMAP_ORGANISATION = env_str("IMAP_ORGANISATION")
# "password" (IMAP_USER/IMAP_PASSWORD) or "oauth2" (XOAUTH2: Microsoft 365, Gmail).
IMAP_AUTH = env_str("IMAP_AUTH", "password").strip().lower()

# --- OAuth 2.0 for the mailbox (Microsoft 365, Gmail: docs/oauth2.md) ---
OAUTH2_PROVIDER = env_str("OAUTH2_PROVIDER", "microsoft").strip().lower()
OAUTH2_TENANT = env_str("OAUTH2_TENANT", "organizations").strip()
OAUTH2_CLIENT_ID = env_str("OAUTH2_CLIENT_ID").strip()
OAUTH2_CLIENT_SECRET = env_str("OAUTH2_CLIENT_SECRET")
# authorization_code: the mailbox owner consents once (`reclamations oauth2-authorize`);
# client_credentials: the application's own secret (Microsoft 365 only).
OAUTH2_GRANT = env_str("OAUTH2_GRANT", "authorization_code").strip().lower()
OAUTH2_SCOPE = env_str("OAUTH2_SCOPE").strip()
OAUTH2_TOKEN_URL = env_str("OAUTH2_TOKEN_URL").strip()
OAUTH2_AUTHORIZE_URL = env_str("OAUTH2_AUTHORIZE_URL").strip()
# A refresh token obtained elsewhere; the one `oauth2-authorize` stores (and renewals replace)
# comes first.
OAUTH2_REFRESH_TOKEN = env_str("OAUTH2_REFRESH_TOKEN").strip()
for _name, _value in (("IMAP_AUTH", IMAP_AUTH), ("EMAIL_AUTH", EMAIL_AUTH)):
    if _value not in ("password", "oauth2"):
        raise ImproperlyConfigured(f"{_name} doit valoir password ou oauth2 (reçu : {_value!r}).")
if "oauth2" in (IMAP_AUTH, EMAIL_AUTH):
    from reclamations.core.oauth2 import OAuth2Config

    _problems = OAuth2Config(
        provider=OAUTH2_PROVIDER,
        client_id=OAUTH2_CLIENT_ID,
        client_secret=OAUTH2_CLIENT_SECRET,
        tenant=OAUTH2_TENANT,
        grant=OAUTH2_GRANT,
        scope=OAUTH2_SCOPE,
        token_url=OAUTH2_TOKEN_URL,
        authorize_url=OAUTH2_AUTHORIZE_URL,
    ).problems()
    if _problems:
        raise ImproperlyConfigured(" ".join(_problems))
