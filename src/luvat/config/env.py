"""Every environment variable Luvat reads, in one place.

Settings read variables only through :func:`read`, and every variable is
declared in :data:`VARIABLES` with its help text. ``docs/configuration.md`` is
generated from this list (``luvat config-docs``) and a test fails when it is
stale.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path


class ConfigError(Exception):
    """A configuration value is missing or invalid; the message is one line for a person."""


@dataclass(frozen=True)
class Variable:
    name: str
    help: str
    default: str
    production_default: str | None = None
    choices: tuple[str, ...] = ()
    kind: str = "string"  # string | bool | int | float | list | url | secret | path
    group: str = "General"

    def default_for(self, production: bool) -> str:
        if production and self.production_default is not None:
            return self.production_default
        return self.default


INSECURE_DEV_SECRET_KEY = "luvat-dev-insecure-secret-key-never-use-in-production"  # noqa: S105

VARIABLES: tuple[Variable, ...] = (
    Variable(
        "LUVAT_ENV",
        "Deployment mode. `production` turns off debug and demo features by default and "
        "makes `luvat check` refuse insecure settings.",
        default="dev",
        choices=("dev", "production"),
    ),
    Variable(
        "LUVAT_DEBUG",
        "Django debug mode: detailed error pages. Never on in production.",
        default="true",
        production_default="false",
        kind="bool",
    ),
    Variable(
        "LUVAT_SECRET_KEY",
        "Secret for signing sessions, CSRF tokens and links. At least 50 random characters "
        "in production; the built-in development value is refused there.",
        default=INSECURE_DEV_SECRET_KEY,
        kind="secret",
    ),
    Variable(
        "LUVAT_VAR_DIR",
        "Directory for local state: the embedded SQLite database, uploaded files, "
        "collected static files. Relative paths are taken from the working directory.",
        default="var",
        kind="path",
    ),
    Variable(
        "DATABASE_URL",
        "Database to use. `sqlite:///relative/path.sqlite3` (relative to the working "
        "directory), `sqlite:////absolute/path.sqlite3` or "
        "`postgres://user:password@host:5432/name`. Empty means the embedded SQLite "
        "database `$LUVAT_VAR_DIR/luvat.sqlite3` (development only).",
        default="",
        kind="url",
        group="Database and messaging",
    ),
    Variable(
        "LUVAT_DB_CONN_MAX_AGE",
        "Seconds a PostgreSQL connection is kept open for reuse (0 closes after each request).",
        default="60",
        kind="int",
        group="Database and messaging",
    ),
    Variable(
        "LUVAT_AMQP_URL",
        "RabbitMQ connection for the AMQP transport to authority systems, e.g. "
        "`amqp://guest:guest@127.0.0.1:5672/%2F`. Empty disables AMQP.",
        default="",
        kind="url",
        group="Database and messaging",
    ),
    Variable(
        "LUVAT_IDENTITY_KEY",
        "Key of the digest by which a person's identity code is recognised again (the code "
        "itself is never stored). Empty uses `LUVAT_SECRET_KEY`; set it separately, and never "
        "change it, so that rotating the session key does not cut people off from their "
        "mandates and official roles.",
        default="",
        kind="secret",
    ),
    Variable(
        "LUVAT_SECRETS_KEY",
        "Key that encrypts secrets stored in the database (the signing secrets shared with "
        "authority systems). Empty derives it from `LUVAT_SECRET_KEY`; set it separately so "
        "that the session key can be rotated without re-entering those secrets.",
        default="",
        kind="secret",
        group="Integrations",
    ),
    Variable(
        "LUVAT_DEMO_SIMULATOR_PORT",
        "In demo mode (`LUVAT_DEMO` and `LUVAT_WORKER_IN_PROCESS` on), `luvat serve` runs a "
        "simulated authority system (the Helsinki rescue department's case system) on this "
        "local port, and `luvat load-demo` points that authority's endpoint at it. 0 turns "
        "the simulator off.",
        default="8710",
        production_default="0",
        kind="int",
        group="Integrations",
    ),
    Variable(
        "LUVAT_DELIVERY_MAX_ATTEMPTS",
        "Delivery attempts of one outbound message before it is dead-lettered for an "
        "administrator to look at.",
        default="15",
        kind="int",
        group="Integrations",
    ),
    Variable(
        "LUVAT_DELIVERY_BACKOFF_SECONDS",
        "First retry wait of a failed delivery in seconds; doubles per attempt (with full "
        "jitter) up to `LUVAT_DELIVERY_BACKOFF_CAP_SECONDS`.",
        default="5",
        kind="float",
        group="Integrations",
    ),
    Variable(
        "LUVAT_DELIVERY_BACKOFF_CAP_SECONDS",
        "Longest wait between two delivery attempts of one message, in seconds.",
        default="3600",
        kind="float",
        group="Integrations",
    ),
    Variable(
        "LUVAT_DELIVERY_LEASE_SECONDS",
        "How long a worker owns the messages it took for delivery. A worker that dies "
        "leaves them to others after this time; keep it well above the endpoints' timeouts.",
        default="300",
        kind="float",
        group="Integrations",
    ),
    Variable(
        "LUVAT_DELIVERY_CONCURRENCY",
        "Parallel HTTP requests to one endpoint within one worker. (AMQP publishes a "
        "whole batch on one connection, all awaiting their confirms at once.)",
        default="8",
        kind="int",
        group="Integrations",
    ),
    Variable(
        "LUVAT_CIRCUIT_FAILURE_THRESHOLD",
        "Consecutive failed deliveries to one endpoint that open its circuit breaker "
        "(deliveries to it are held).",
        default="5",
        kind="int",
        group="Integrations",
    ),
    Variable(
        "LUVAT_CIRCUIT_OPEN_SECONDS",
        "How long an open circuit breaker holds deliveries before one trial delivery.",
        default="60",
        kind="float",
        group="Integrations",
    ),
    Variable(
        "LUVAT_ATTACHMENT_LINK_SECONDS",
        "Validity of the attachment download links in delivered applications, in seconds.",
        default="604800",
        kind="int",
        group="Integrations",
    ),
    Variable(
        "LUVAT_ALLOWED_HOSTS",
        "Comma-separated host names this service answers to.",
        default="localhost,127.0.0.1,[::1],testserver",
        production_default="",
        kind="list",
        group="Web",
    ),
    Variable(
        "LUVAT_CSRF_TRUSTED_ORIGINS",
        "Comma-separated origins (scheme and host) trusted for form posts, when the "
        "service runs behind a proxy on another origin.",
        default="",
        kind="list",
        group="Web",
    ),
    Variable(
        "LUVAT_HTTPS",
        "The service is reached over HTTPS (through a TLS-terminating proxy that sets "
        "`X-Forwarded-Proto`): secure cookies, HSTS and redirects to HTTPS.",
        default="false",
        production_default="true",
        kind="bool",
        group="Web",
    ),
    Variable(
        "LUVAT_SERVE_THREADS",
        "Worker threads of the built-in WSGI server (`luvat serve`).",
        default="8",
        kind="int",
        group="Web",
    ),
    Variable(
        "LUVAT_DEMO",
        "Demo features: `luvat load-demo` and demo log-ins. Refused by `luvat check` in "
        "production.",
        default="true",
        production_default="false",
        kind="bool",
        group="Web",
    ),
    Variable(
        "LUVAT_PUBLIC_URL",
        "The service's public address (scheme and host, no trailing slash), e.g. "
        "`https://luvat.example.fi`. Links in e-mails, calendar feed addresses, SAML entity "
        "ids, assertion consumer and logout URLs, the e-Authorizations return address and the "
        "links in documents delivered to authority systems are built from it.",
        default="http://localhost:8000",
        production_default="",
        kind="url",
        group="Web",
    ),
    Variable(
        "LUVAT_EMAIL_BACKEND",
        "How notification e-mails leave: `console` prints them to the log output (demo and "
        "development), `smtp` sends them through `LUVAT_SMTP_HOST`.",
        default="console",
        production_default="smtp",
        choices=("console", "smtp"),
        group="E-mail",
    ),
    Variable(
        "LUVAT_EMAIL_FROM",
        "Sender address of notification e-mails.",
        default="Luvat <noreply@luvat.example>",
        group="E-mail",
    ),
    Variable(
        "LUVAT_SMTP_HOST",
        "Host name of the SMTP server for `smtp` e-mail.",
        default="localhost",
        group="E-mail",
    ),
    Variable(
        "LUVAT_SMTP_PORT",
        "Port of the SMTP server (587 for STARTTLS).",
        default="587",
        kind="int",
        group="E-mail",
    ),
    Variable(
        "LUVAT_SMTP_USER",
        "User name at the SMTP server; empty for none.",
        default="",
        group="E-mail",
    ),
    Variable(
        "LUVAT_SMTP_PASSWORD",
        "Password at the SMTP server; empty for none.",
        default="",
        kind="secret",
        group="E-mail",
    ),
    Variable(
        "LUVAT_SMTP_STARTTLS",
        "Upgrade the SMTP connection with STARTTLS.",
        default="true",
        kind="bool",
        group="E-mail",
    ),
    Variable(
        "LUVAT_DISCUSSION_BACKEND",
        "Where discussion messages are kept: `builtin` (in the service's own database) or "
        "`zulip` (a Zulip server: a channel per project, a topic per thread).",
        default="builtin",
        choices=("builtin", "zulip"),
        group="Discussion",
    ),
    Variable(
        "LUVAT_ZULIP_SITE",
        "Address of the Zulip server, e.g. `https://chat.example.fi`, for the `zulip` backend.",
        default="",
        kind="url",
        group="Discussion",
    ),
    Variable(
        "LUVAT_ZULIP_EMAIL",
        "E-mail address of the Zulip bot the service posts as.",
        default="",
        group="Discussion",
    ),
    Variable(
        "LUVAT_ZULIP_API_KEY",
        "API key of the Zulip bot.",
        default="",
        kind="secret",
        group="Discussion",
    ),
    Variable(
        "LUVAT_ZULIP_CHANNEL_PREFIX",
        "Prefix of the Zulip channel names the service creates (one per project).",
        default="luvat",
        group="Discussion",
    ),
    Variable(
        "LUVAT_SUPERVISION_REMINDER_DAYS",
        "How many days before a supervision event the company is reminded of it.",
        default="7",
        kind="int",
        group="Supervision",
    ),
    Variable(
        "LUVAT_WORKER_IN_PROCESS",
        "`luvat serve` also runs the background worker in a thread of the web process. "
        "Turn off when `luvat worker` runs as its own process.",
        default="true",
        production_default="false",
        kind="bool",
        group="Background worker",
    ),
    Variable(
        "LUVAT_WORKER_POLL_SECONDS",
        "How often the background worker looks for due work, in seconds.",
        default="1.0",
        kind="float",
        group="Background worker",
    ),
    Variable(
        "LUVAT_LOGIN_BACKENDS",
        "Comma-separated log-in methods offered on the log-in page: `suomifi` (Suomi.fi "
        "e-Identification, SAML), `virtu` (Virtu for state officials, SAML) and `test` (the "
        "test identity provider with demo persons; refused by `luvat check` in production).",
        default="test",
        production_default="suomifi",
        kind="list",
        group="Identity and access",
    ),
    Variable(
        "LUVAT_SAML_KEY_FILE",
        "PEM private key of our SAML service provider: signs authentication and logout "
        "requests and decrypts encrypted assertions. Needed when `suomifi` or `virtu` is on.",
        default="",
        kind="path",
        group="Identity and access",
    ),
    Variable(
        "LUVAT_SAML_CERT_FILE",
        "PEM certificate of the key in `LUVAT_SAML_KEY_FILE`, published in our SP metadata.",
        default="",
        kind="path",
        group="Identity and access",
    ),
    Variable(
        "LUVAT_SAML_SUOMIFI_IDP_METADATA",
        "Local copy of the Suomi.fi e-Identification IdP metadata (test: "
        "`https://testi.apro.tunnistus.fi/static/metadata/idp-metadata.xml`, production: "
        "`https://tunnistus.suomi.fi/static/metadata/idp-metadata.xml`). Verify and refresh "
        "it when the IdP rolls its certificate.",
        default="",
        kind="path",
        group="Identity and access",
    ),
    Variable(
        "LUVAT_SAML_SUOMIFI_ENTITY_ID",
        "Our SP entity id towards Suomi.fi. Empty means `$LUVAT_PUBLIC_URL/saml/suomifi/"
        "metadata/` (the URL where our metadata is published).",
        default="",
        group="Identity and access",
    ),
    Variable(
        "LUVAT_SAML_SUOMIFI_LOA",
        "Level of assurance requested from Suomi.fi (AuthnContextClassRef), e.g. "
        "`http://ftn.ficora.fi/2017/loa3` (high) or `http://ftn.ficora.fi/2017/loa2` "
        "(substantial); a log-in below it is refused. In the Suomi.fi test environment, whose "
        "test methods report `urn:oid:1.2.246.517.3002.110.999`, set that value. The level "
        "the IdP reports is recorded at every log-in.",
        default="http://ftn.ficora.fi/2017/loa3",
        group="Identity and access",
    ),
    Variable(
        "LUVAT_SAML_VIRTU_IDP_METADATA",
        "Local copy of the Virtu IdP metadata (state officials).",
        default="",
        kind="path",
        group="Identity and access",
    ),
    Variable(
        "LUVAT_SAML_VIRTU_ENTITY_ID",
        "Our SP entity id towards Virtu. Empty means `$LUVAT_PUBLIC_URL/saml/virtu/metadata/`.",
        default="",
        group="Identity and access",
    ),
    Variable(
        "LUVAT_VIRTU_ENTITLEMENT_PREFIX",
        "Virtu `virtuPersonEntitlement` values starting with this prefix grant roles at "
        "log-in: `<prefix>official:<AUTHORITY_CODE>` and `<prefix>authority-admin:<CODE>`.",
        default="luvat:",
        group="Identity and access",
    ),
    Variable(
        "LUVAT_TEST_IDP_ACCESS_CODE",
        "Optional shared code that the test identity provider asks for (e.g. on a public "
        "test server). Empty: no code. Failed attempts are throttled.",
        default="",
        kind="secret",
        group="Identity and access",
    ),
    Variable(
        "LUVAT_SESSION_IDLE_MINUTES",
        "A session ends after this many minutes without requests.",
        default="30",
        kind="int",
        group="Identity and access",
    ),
    Variable(
        "LUVAT_LOGIN_MAX_FAILURES",
        "Failed log-in attempts (admin password, test IdP code) allowed per user name and per "
        "address before the log-in is locked for `LUVAT_LOGIN_LOCKOUT_MINUTES`.",
        default="5",
        kind="int",
        group="Identity and access",
    ),
    Variable(
        "LUVAT_LOGIN_LOCKOUT_MINUTES",
        "How long a log-in stays locked after too many failures.",
        default="15",
        kind="int",
        group="Identity and access",
    ),
    Variable(
        "LUVAT_MANDATES_BACKEND",
        "Where the companies a person may act for come from: `suomifi` (Suomi.fi "
        "e-Authorizations) or `local` (the stand-in table edited in the admin; demo and tests).",
        default="local",
        production_default="suomifi",
        choices=("local", "suomifi"),
        group="Identity and access",
    ),
    Variable(
        "LUVAT_MANDATE_CACHE_SECONDS",
        "How long a person's list of companies is reused for reading. Every write re-checks "
        "the mandate from the source.",
        default="300",
        kind="int",
        group="Identity and access",
    ),
    Variable(
        "LUVAT_EAUTH_URL",
        "Suomi.fi e-Authorizations base URL (`https://asiointivaltuustarkastus.test.suomi.fi`, "
        "`…qa.suomi.fi` or `https://asiointivaltuustarkastus.suomi.fi`).",
        default="https://asiointivaltuustarkastus.test.suomi.fi",
        kind="url",
        group="Identity and access",
    ),
    Variable(
        "LUVAT_EAUTH_CLIENT_ID",
        "Our e-Authorizations client id (8 characters, from the Digital and Population Data "
        "Services Agency).",
        default="",
        group="Identity and access",
    ),
    Variable(
        "LUVAT_EAUTH_API_KEY",
        "The e-Authorizations API key: signs every request (HMAC-SHA256 header).",
        default="",
        kind="secret",
        group="Identity and access",
    ),
    Variable(
        "LUVAT_EAUTH_OAUTH_PASSWORD",
        "The e-Authorizations OAuth password, used when exchanging the authorisation code.",
        default="",
        kind="secret",
        group="Identity and access",
    ),
    Variable(
        "LUVAT_EAUTH_ROLES",
        "Organisation role codes from e-Authorizations that let a person act for the company "
        "(e.g. TJ managing director, NIMKO sole signatory). Incomplete role data never counts.",
        default="TJ,TIL,ELI,S,IS,NIMKO",
        kind="list",
        group="Identity and access",
    ),
    Variable(
        "LUVAT_COMPANY_REGISTER",
        "Company register backend: `ytj` (the open data API of the Finnish Patent and "
        "Registration Office, v3) or `local` (a stand-in with demo companies).",
        default="local",
        production_default="ytj",
        choices=("local", "ytj"),
        group="Identity and access",
    ),
    Variable(
        "LUVAT_YTJ_URL",
        "Base URL of the YTJ open data API v3.",
        default="https://avoindata.prh.fi/opendata-ytj-api/v3",
        kind="url",
        group="Identity and access",
    ),
    Variable(
        "LUVAT_HTTP_TIMEOUT_SECONDS",
        "Timeout of calls to national services (company register, e-Authorizations).",
        default="10",
        kind="float",
        group="Identity and access",
    ),
    Variable(
        "LUVAT_LOG_FORMAT",
        "Log output: `console` (readable) or `json` (one JSON object per line).",
        default="console",
        production_default="json",
        choices=("console", "json"),
        group="Logging",
    ),
    Variable(
        "LUVAT_LOG_LEVEL",
        "Lowest level logged: DEBUG, INFO, WARNING or ERROR.",
        default="INFO",
        choices=("DEBUG", "INFO", "WARNING", "ERROR"),
        group="Logging",
    ),
)

_BY_NAME = {v.name: v for v in VARIABLES}
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


class Environment:
    """Typed reads of the declared variables from a mapping (``os.environ`` by default)."""

    def __init__(self, environ: Mapping[str, str] | None = None) -> None:
        self.environ = os.environ if environ is None else environ
        self.production = self.raw("LUVAT_ENV") == "production"

    def raw(self, name: str) -> str:
        var = _BY_NAME[name]
        production = name != "LUVAT_ENV" and self.production
        value = self.environ.get(name)
        if value is None:
            value = var.default_for(production)
        value = value.strip()
        if var.choices and value not in var.choices:
            raise ConfigError(
                f"{name}={value!r} is not one of: {', '.join(var.choices)}",
            )
        return value

    def is_set(self, name: str) -> bool:
        return name in self.environ

    def string(self, name: str) -> str:
        return self.raw(name)

    def boolean(self, name: str) -> bool:
        value = self.raw(name).lower()
        if value in _TRUE:
            return True
        if value in _FALSE:
            return False
        raise ConfigError(f"{name}={value!r} is not a yes/no value (use true or false)")

    def integer(self, name: str) -> int:
        value = self.raw(name)
        try:
            return int(value)
        except ValueError:
            raise ConfigError(f"{name}={value!r} is not a whole number") from None

    def number(self, name: str) -> float:
        value = self.raw(name)
        try:
            return float(value)
        except ValueError:
            raise ConfigError(f"{name}={value!r} is not a number") from None

    def items(self, name: str) -> list[str]:
        return [item.strip() for item in self.raw(name).split(",") if item.strip()]

    def path(self, name: str) -> Path:
        return Path(self.raw(name)).expanduser().absolute()


def render_markdown() -> str:
    """The text of docs/configuration.md."""
    lines = [
        "# Configuration",
        "",
        "Luvat reads its configuration from environment variables only. This page is",
        "generated from `src/luvat/config/env.py` by `luvat config-docs`; a test fails",
        "when it is stale. Values in *production* apply when `LUVAT_ENV=production`",
        "and the variable is not set.",
        "",
    ]
    groups: dict[str, list[Variable]] = {}
    for var in VARIABLES:
        groups.setdefault(var.group, []).append(var)
    for group, variables in groups.items():
        lines += [f"## {group}", ""]
        for var in variables:
            lines.append(f"### `{var.name}`")
            lines.append("")
            lines.append(var.help)
            lines.append("")
            if var.kind == "secret" and var.default:
                lines.append("- Default: a development value (refused in production)")
            else:
                lines.append(f"- Default: `{var.default}`" if var.default else "- Default: empty")
            if var.production_default is not None:
                shown = f"`{var.production_default}`" if var.production_default else "empty"
                lines.append(f"- Default in production: {shown}")
            if var.choices:
                lines.append("- Allowed: " + ", ".join(f"`{c}`" for c in var.choices))
            lines.append(f"- Type: {var.kind}")
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"
