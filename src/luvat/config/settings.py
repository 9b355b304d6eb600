"""Django settings. Every value comes from an environment variable declared in env.py."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import django_stubs_ext
from csp.constants import NONCE, NONE, SELF
from django.utils.translation import gettext_lazy as _

from luvat.config.database import parse_database_url
from luvat.config.env import ConfigError, Environment
from luvat.config.logging import logging_config
from luvat.config.rates import validate_rates
from luvat.web.proxies import parse_networks

django_stubs_ext.monkeypatch()

env = Environment()

PACKAGE_DIR = Path(__file__).resolve().parent.parent
LUVAT_ENV = env.string("LUVAT_ENV")
PRODUCTION = env.production
DEBUG = env.boolean("LUVAT_DEBUG")
SECRET_KEY = env.string("LUVAT_SECRET_KEY")
VAR_DIR = env.path("LUVAT_VAR_DIR")
LUVAT_DEMO = env.boolean("LUVAT_DEMO")
LUVAT_AMQP_URL = env.string("LUVAT_AMQP_URL")
LUVAT_AMQP_PREFIX = env.string("LUVAT_AMQP_PREFIX")
LUVAT_AMQP_QUEUE_TYPE = env.string("LUVAT_AMQP_QUEUE_TYPE")
LUVAT_WORKER_IN_PROCESS = env.boolean("LUVAT_WORKER_IN_PROCESS")
LUVAT_SECRETS_KEY = env.string("LUVAT_SECRETS_KEY")
LUVAT_IDENTITY_KEY = env.string("LUVAT_IDENTITY_KEY")
LUVAT_PUBLIC_URL = env.string("LUVAT_PUBLIC_URL").rstrip("/")
# Whether the address was given, or is the default that `luvat serve --port` may replace.
LUVAT_PUBLIC_URL_GIVEN = env.is_set("LUVAT_PUBLIC_URL")
LUVAT_DEMO_SIMULATOR_PORT = env.integer("LUVAT_DEMO_SIMULATOR_PORT")
LUVAT_DELIVERY_MAX_ATTEMPTS = env.integer("LUVAT_DELIVERY_MAX_ATTEMPTS")
LUVAT_DELIVERY_BACKOFF_SECONDS = env.number("LUVAT_DELIVERY_BACKOFF_SECONDS")
LUVAT_DELIVERY_BACKOFF_CAP_SECONDS = env.number("LUVAT_DELIVERY_BACKOFF_CAP_SECONDS")
LUVAT_CIRCUIT_FAILURE_THRESHOLD = env.integer("LUVAT_CIRCUIT_FAILURE_THRESHOLD")
LUVAT_DELIVERY_LEASE_SECONDS = env.number("LUVAT_DELIVERY_LEASE_SECONDS")
LUVAT_DELIVERY_CONCURRENCY = env.integer("LUVAT_DELIVERY_CONCURRENCY")
LUVAT_METRICS_TOKEN = env.string("LUVAT_METRICS_TOKEN")
PROMETHEUS_MULTIPROC_DIR = env.string("PROMETHEUS_MULTIPROC_DIR")
LUVAT_CIRCUIT_OPEN_SECONDS = env.number("LUVAT_CIRCUIT_OPEN_SECONDS")
LUVAT_ATTACHMENT_LINK_SECONDS = env.integer("LUVAT_ATTACHMENT_LINK_SECONDS")
LUVAT_WORKER_POLL_SECONDS = env.number("LUVAT_WORKER_POLL_SECONDS")
LUVAT_WORKER_LISTEN = env.boolean("LUVAT_WORKER_LISTEN")
LUVAT_SERVE_THREADS = env.integer("LUVAT_SERVE_THREADS")
DATABASE_URL_IS_DEFAULT = not env.string("DATABASE_URL")

# Identity and access (see luvat.identity and docs/authorisation.md)
LUVAT_LOGIN_BACKENDS = env.items("LUVAT_LOGIN_BACKENDS")
LUVAT_SAML_KEY_FILE = env.string("LUVAT_SAML_KEY_FILE")
LUVAT_SAML_CERT_FILE = env.string("LUVAT_SAML_CERT_FILE")
LUVAT_SAML_IDPS = {
    "suomifi": {
        "metadata": env.string("LUVAT_SAML_SUOMIFI_IDP_METADATA"),
        "entity_id": env.string("LUVAT_SAML_SUOMIFI_ENTITY_ID"),
        "loa": env.string("LUVAT_SAML_SUOMIFI_LOA"),
    },
    "virtu": {
        "metadata": env.string("LUVAT_SAML_VIRTU_IDP_METADATA"),
        "entity_id": env.string("LUVAT_SAML_VIRTU_ENTITY_ID"),
        "loa": "",
    },
}
LUVAT_VIRTU_ENTITLEMENT_PREFIX = env.string("LUVAT_VIRTU_ENTITLEMENT_PREFIX")
LUVAT_TEST_IDP_ACCESS_CODE = env.string("LUVAT_TEST_IDP_ACCESS_CODE")
LUVAT_LOGIN_MAX_FAILURES = env.integer("LUVAT_LOGIN_MAX_FAILURES")
LUVAT_LOGIN_MAX_FAILURES_PER_ADDRESS = env.integer("LUVAT_LOGIN_MAX_FAILURES_PER_ADDRESS")
LUVAT_LOGIN_LOCKOUT_MINUTES = env.integer("LUVAT_LOGIN_LOCKOUT_MINUTES")
LUVAT_MANDATES_BACKEND = env.string("LUVAT_MANDATES_BACKEND")
LUVAT_MANDATE_CACHE_SECONDS = env.integer("LUVAT_MANDATE_CACHE_SECONDS")
LUVAT_EAUTH_URL = env.string("LUVAT_EAUTH_URL").rstrip("/")
LUVAT_EAUTH_CLIENT_ID = env.string("LUVAT_EAUTH_CLIENT_ID")
LUVAT_EAUTH_API_KEY = env.string("LUVAT_EAUTH_API_KEY")
LUVAT_EAUTH_OAUTH_PASSWORD = env.string("LUVAT_EAUTH_OAUTH_PASSWORD")
LUVAT_EAUTH_ROLES = env.items("LUVAT_EAUTH_ROLES")
LUVAT_EAUTH_MANDATE_ISSUE = env.string("LUVAT_EAUTH_MANDATE_ISSUE")
LUVAT_COMPANY_REGISTER = env.string("LUVAT_COMPANY_REGISTER")
LUVAT_YTJ_URL = env.string("LUVAT_YTJ_URL").rstrip("/")
LUVAT_HTTP_TIMEOUT_SECONDS = env.number("LUVAT_HTTP_TIMEOUT_SECONDS")

ALLOWED_HOSTS = env.items("LUVAT_ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env.items("LUVAT_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # Our apps come first so that their translations and templates take precedence.
    "luvat.web",
    "luvat.audit",
    "luvat.identity",
    "luvat.catalogue",
    "luvat.assessment",
    "luvat.projects",
    "luvat.inforequests",
    "luvat.integrations",
    "luvat.backoffice",
    "luvat.discussion",
    "luvat.supervision",
    "luvat.onboarding",
    "luvat.notifications",
    "luvat.uploads",
    "luvat.retention",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    # django-ninja's own copy of Swagger UI: the API docs load nothing from outside.
    "ninja",
    "csp",
]

MIDDLEWARE = [
    "luvat.web.metrics.MetricsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "luvat.web.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "luvat.web.middleware.RequestContextMiddleware",
    "luvat.web.middleware.ProblemJsonMiddleware",
    "luvat.web.sessions.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "luvat.uploads.middleware.MultipartErrorsMiddleware",
    "django.middleware.common.CommonMiddleware",
    "luvat.web.hostile.HostileInputMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Who is acting, and the mandate or role re-checked at the source before every write.
    "luvat.identity.door.DoorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "luvat.config.urls"
WSGI_APPLICATION = "luvat.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "luvat.web.context_processors.service",
                "luvat.identity.context_processors.identity",
            ],
        },
    },
]

DATABASES = {
    "default": parse_database_url(
        env.string("DATABASE_URL"),
        var_dir=VAR_DIR,
        conn_max_age=env.integer("LUVAT_DB_CONN_MAX_AGE"),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "fi"
LANGUAGES = [("fi", _("Finnish")), ("sv", _("Swedish")), ("en", _("English"))]
TIME_ZONE = "Europe/Helsinki"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_ROOT = VAR_DIR / "media"
LUVAT_FILE_STORAGE = env.string("LUVAT_FILE_STORAGE")
FILESYSTEM_STORAGE = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
S3_STORAGE: dict[str, Any] = {
    "BACKEND": "storages.backends.s3.S3Storage",
    "OPTIONS": {
        "bucket_name": env.string("LUVAT_S3_BUCKET"),
        "endpoint_url": env.string("LUVAT_S3_ENDPOINT_URL") or None,
        "region_name": env.string("LUVAT_S3_REGION") or None,
        "access_key": env.string("LUVAT_S3_ACCESS_KEY_ID") or None,
        "secret_key": env.string("LUVAT_S3_SECRET_ACCESS_KEY") or None,
        "addressing_style": (
            None
            if env.string("LUVAT_S3_ADDRESSING_STYLE") == "auto"
            else env.string("LUVAT_S3_ADDRESSING_STYLE")
        ),
        "signature_version": "s3v4",
        "querystring_auth": True,
        "querystring_expire": env.integer("LUVAT_S3_SIGNED_URL_SECONDS"),
        # Names are random and unique; never silently replace a stored object.
        "file_overwrite": False,
        "default_acl": None,
        "object_parameters": {"ServerSideEncryption": "AES256"},
    },
}
# `default` holds every FileField; `filesystem` stays reachable for `luvat storage-migrate`.
STORAGES = {
    "default": S3_STORAGE if LUVAT_FILE_STORAGE == "s3" else FILESYSTEM_STORAGE,
    "filesystem": FILESYSTEM_STORAGE,
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Outside production, serve static files straight from the apps (no collectstatic step).
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = DEBUG

EMAIL_BACKEND = {
    "console": "django.core.mail.backends.console.EmailBackend",
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
}[env.string("LUVAT_EMAIL_BACKEND")]
DEFAULT_FROM_EMAIL = env.string("LUVAT_EMAIL_FROM")
EMAIL_HOST = env.string("LUVAT_SMTP_HOST")
EMAIL_PORT = env.integer("LUVAT_SMTP_PORT")
EMAIL_HOST_USER = env.string("LUVAT_SMTP_USER")
EMAIL_HOST_PASSWORD = env.string("LUVAT_SMTP_PASSWORD")
EMAIL_USE_TLS = env.boolean("LUVAT_SMTP_STARTTLS")
EMAIL_TIMEOUT = 30
LUVAT_EMAIL_VERIFY_DAYS = env.integer("LUVAT_EMAIL_VERIFY_DAYS")
LUVAT_EMAIL_MAX_ATTEMPTS = env.integer("LUVAT_EMAIL_MAX_ATTEMPTS")
LUVAT_SUOMIFI_MESSAGES_BACKEND = env.string("LUVAT_SUOMIFI_MESSAGES_BACKEND")
LUVAT_SUOMIFI_MESSAGES_URL = env.string("LUVAT_SUOMIFI_MESSAGES_URL")
LUVAT_SUOMIFI_MESSAGES_USERNAME = env.string("LUVAT_SUOMIFI_MESSAGES_USERNAME")
LUVAT_SUOMIFI_MESSAGES_PASSWORD = env.string("LUVAT_SUOMIFI_MESSAGES_PASSWORD")
LUVAT_SUOMIFI_MESSAGES_LOCAL_MAILBOXES = env.items("LUVAT_SUOMIFI_MESSAGES_LOCAL_MAILBOXES")
# Read by django-helsinki-suomifi-messages when a multichannel message may go on paper.
SUOMIFI_POSTI_EMAIL = env.string("LUVAT_SUOMIFI_MESSAGES_POSTI_EMAIL")
SUOMIFI_POSTI_USERNAME = env.string("LUVAT_SUOMIFI_MESSAGES_POSTI_USERNAME")
SUOMIFI_POSTI_PASSWORD = env.string("LUVAT_SUOMIFI_MESSAGES_POSTI_PASSWORD")

LUVAT_DISCUSSION_BACKEND = env.string("LUVAT_DISCUSSION_BACKEND")
LUVAT_ZULIP_SITE = env.string("LUVAT_ZULIP_SITE").rstrip("/")
LUVAT_ZULIP_EMAIL = env.string("LUVAT_ZULIP_EMAIL")
LUVAT_ZULIP_API_KEY = env.string("LUVAT_ZULIP_API_KEY")
LUVAT_ZULIP_CHANNEL_PREFIX = env.string("LUVAT_ZULIP_CHANNEL_PREFIX")
LUVAT_SUPERVISION_REMINDER_DAYS = env.integer("LUVAT_SUPERVISION_REMINDER_DAYS")

# Uploads (luvat.uploads): every file streams to a temporary file under a hard cap.
LUVAT_UPLOAD_MAX_BYTES = env.integer("LUVAT_UPLOAD_MAX_BYTES")
FILE_UPLOAD_HANDLERS = ["luvat.uploads.handlers.CappedUploadHandler"]
LUVAT_VIRUS_SCANNER = env.string("LUVAT_VIRUS_SCANNER")
LUVAT_CLAMD_ADDRESS = env.string("LUVAT_CLAMD_ADDRESS")
LUVAT_CLAMD_TIMEOUT_SECONDS = env.number("LUVAT_CLAMD_TIMEOUT_SECONDS")

# Proxies (luvat.web.proxies): forwarded headers only from these peers.
LUVAT_TRUSTED_PROXIES = env.items("LUVAT_TRUSTED_PROXIES")
try:
    parse_networks(LUVAT_TRUSTED_PROXIES)
except ValueError as _exc:
    raise ConfigError(f"LUVAT_TRUSTED_PROXIES: {_exc}") from None

# Rate limits (luvat.web.ratelimits: one upsert per counted request in the cache table).
# Counters live in the `luvat_cache` table (created by migration web 0001), so every
# `luvat serve` process and host sees the same counts; `default` stays per-process.
LUVAT_RATES = validate_rates(
    {
        "login": env.string("LUVAT_RATE_LOGIN"),
        "assessment": env.string("LUVAT_RATE_ASSESSMENT"),
        "upload": env.string("LUVAT_RATE_UPLOAD"),
        "inbound": env.string("LUVAT_RATE_INBOUND"),
        "public": env.string("LUVAT_RATE_PUBLIC"),
    }
)
RATELIMIT_ENABLE = env.boolean("LUVAT_RATE_LIMITS")
RATELIMIT_USE_CACHE = "ratelimit"
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "ratelimit": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "luvat_cache",
    },
}

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# Idle timeout: a request pushes the expiry forward, saving the session at most once a minute
# unless it changed (luvat.web.sessions); closing the browser ends the session.
SESSION_COOKIE_AGE = env.integer("LUVAT_SESSION_IDLE_MINUTES") * 60
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
LOGIN_URL = "identity:login"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Content-Security-Policy (django-csp): everything from our own origin, no inline script or
# style, no plug-ins, no framing. A template that needs an inline script gives it
# nonce="{{ request.csp_nonce }}"; none does today (htmx is configured by a <meta> tag).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [NONE],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "manifest-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
    }
}
# Features no page of the service uses, switched off for every page (and anything framed).
PERMISSIONS_POLICY = (
    "accelerometer=(), autoplay=(), camera=(), display-capture=(), geolocation=(), "
    "gyroscope=(), magnetometer=(), microphone=(), midi=(), payment=(), usb=(), "
    "browsing-topics=()"
)
if env.boolean("LUVAT_HTTPS"):
    # No SECURE_PROXY_SSL_HEADER: the scheme a trusted proxy forwards is set as
    # wsgi.url_scheme by luvat.web.proxies, and the header is dropped from everyone else.
    SECURE_SSL_REDIRECT = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    # Probes come over plain HTTP from inside the cluster.
    SECURE_REDIRECT_EXEMPT = [r"^livez$", r"^healthz$", r"^readyz$"]

LUVAT_RETENTION_ENABLED = env.boolean("LUVAT_RETENTION_ENABLED")
LUVAT_RETENTION_INTERVAL_SECONDS = env.integer("LUVAT_RETENTION_INTERVAL_SECONDS")
LUVAT_RETENTION_DAYS = {
    "draft": env.integer("LUVAT_RETENTION_DRAFT_DAYS"),
    "discussion": env.integer("LUVAT_RETENTION_DISCUSSION_DAYS"),
    "notification": env.integer("LUVAT_RETENTION_NOTIFICATION_DAYS"),
    "access_log": env.integer("LUVAT_RETENTION_ACCESS_LOG_DAYS"),
    "audit_log": env.integer("LUVAT_RETENTION_AUDIT_LOG_DAYS"),
    "closed_project": env.integer("LUVAT_RETENTION_CLOSED_PROJECT_DAYS"),
}

LOGGING = logging_config(
    fmt=env.string("LUVAT_LOG_FORMAT"),
    level=env.string("LUVAT_LOG_LEVEL"),
)
