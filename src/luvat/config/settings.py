"""Django settings. Every value comes from an environment variable declared in env.py."""

from __future__ import annotations

from pathlib import Path

import django_stubs_ext
from django.utils.translation import gettext_lazy as _

from luvat.config.database import parse_database_url
from luvat.config.env import Environment
from luvat.config.logging import logging_config

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
LUVAT_WORKER_IN_PROCESS = env.boolean("LUVAT_WORKER_IN_PROCESS")
LUVAT_SECRETS_KEY = env.string("LUVAT_SECRETS_KEY")
LUVAT_IDENTITY_KEY = env.string("LUVAT_IDENTITY_KEY")
LUVAT_PUBLIC_URL = env.string("LUVAT_PUBLIC_URL").rstrip("/")
LUVAT_DEMO_SIMULATOR_PORT = env.integer("LUVAT_DEMO_SIMULATOR_PORT")
LUVAT_DELIVERY_MAX_ATTEMPTS = env.integer("LUVAT_DELIVERY_MAX_ATTEMPTS")
LUVAT_DELIVERY_BACKOFF_SECONDS = env.number("LUVAT_DELIVERY_BACKOFF_SECONDS")
LUVAT_DELIVERY_BACKOFF_CAP_SECONDS = env.number("LUVAT_DELIVERY_BACKOFF_CAP_SECONDS")
LUVAT_CIRCUIT_FAILURE_THRESHOLD = env.integer("LUVAT_CIRCUIT_FAILURE_THRESHOLD")
LUVAT_DELIVERY_LEASE_SECONDS = env.number("LUVAT_DELIVERY_LEASE_SECONDS")
LUVAT_DELIVERY_CONCURRENCY = env.integer("LUVAT_DELIVERY_CONCURRENCY")
LUVAT_CIRCUIT_OPEN_SECONDS = env.number("LUVAT_CIRCUIT_OPEN_SECONDS")
LUVAT_ATTACHMENT_LINK_SECONDS = env.integer("LUVAT_ATTACHMENT_LINK_SECONDS")
LUVAT_WORKER_POLL_SECONDS = env.number("LUVAT_WORKER_POLL_SECONDS")
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
LUVAT_LOGIN_LOCKOUT_MINUTES = env.integer("LUVAT_LOGIN_LOCKOUT_MINUTES")
LUVAT_MANDATES_BACKEND = env.string("LUVAT_MANDATES_BACKEND")
LUVAT_MANDATE_CACHE_SECONDS = env.integer("LUVAT_MANDATE_CACHE_SECONDS")
LUVAT_EAUTH_URL = env.string("LUVAT_EAUTH_URL").rstrip("/")
LUVAT_EAUTH_CLIENT_ID = env.string("LUVAT_EAUTH_CLIENT_ID")
LUVAT_EAUTH_API_KEY = env.string("LUVAT_EAUTH_API_KEY")
LUVAT_EAUTH_OAUTH_PASSWORD = env.string("LUVAT_EAUTH_OAUTH_PASSWORD")
LUVAT_EAUTH_ROLES = env.items("LUVAT_EAUTH_ROLES")
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
    "luvat.integrations",
    "luvat.backoffice",
    "luvat.discussion",
    "luvat.supervision",
    "luvat.onboarding",
    "luvat.notifications",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    # django-ninja's own copy of Swagger UI: the API docs load nothing from outside.
    "ninja",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "luvat.web.middleware.RequestContextMiddleware",
    "luvat.web.middleware.ProblemJsonMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
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
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
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

LUVAT_DISCUSSION_BACKEND = env.string("LUVAT_DISCUSSION_BACKEND")
LUVAT_ZULIP_SITE = env.string("LUVAT_ZULIP_SITE").rstrip("/")
LUVAT_ZULIP_EMAIL = env.string("LUVAT_ZULIP_EMAIL")
LUVAT_ZULIP_API_KEY = env.string("LUVAT_ZULIP_API_KEY")
LUVAT_ZULIP_CHANNEL_PREFIX = env.string("LUVAT_ZULIP_CHANNEL_PREFIX")
LUVAT_SUPERVISION_REMINDER_DAYS = env.integer("LUVAT_SUPERVISION_REMINDER_DAYS")

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# Idle timeout: every request pushes the expiry forward; closing the browser ends the session.
SESSION_COOKIE_AGE = env.integer("LUVAT_SESSION_IDLE_MINUTES") * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
LOGIN_URL = "identity:login"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if env.boolean("LUVAT_HTTPS"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    # Probes come over plain HTTP from inside the cluster.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]

LOGGING = logging_config(
    fmt=env.string("LUVAT_LOG_FORMAT"),
    level=env.string("LUVAT_LOG_LEVEL"),
)
