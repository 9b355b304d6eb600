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
        "The address people reach the service at, without a trailing slash; used in links "
        "sent by e-mail and in calendar feed addresses.",
        default="http://localhost:8000",
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
            if var.kind == "secret":
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
