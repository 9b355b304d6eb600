"""Turn DATABASE_URL into Django's DATABASES entry, with one-line errors."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from luvat.config.env import ConfigError

POSTGRES_SCHEMES = {"postgres", "postgresql", "pgsql"}


def redact(url: str) -> str:
    """The URL without its password, safe to print."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return parts._replace(netloc=netloc).geturl()


def parse_database_url(url: str, *, var_dir: Path, conn_max_age: int = 60) -> dict[str, Any]:
    """Parse a database URL; raise ConfigError with a readable reason when it is wrong."""
    if not url:
        url = f"sqlite:///{var_dir / 'luvat.sqlite3'}"
        relative_to = Path("/")
    else:
        relative_to = Path.cwd()
    if "://" not in url:
        raise ConfigError(
            f"DATABASE_URL={redact(url)!r} is not a URL "
            "(expected sqlite:///path or postgres://user@host/name)"
        )
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        reason = " ".join(str(exc).split())
        raise ConfigError(f"DATABASE_URL={redact(url)!r} is malformed: {reason}") from None
    scheme = parts.scheme.lower()
    if scheme == "sqlite":
        if parts.netloc:
            raise ConfigError(
                f"DATABASE_URL={url!r}: a SQLite URL has no host; use sqlite:///relative.sqlite3 "
                "or sqlite:////absolute.sqlite3"
            )
        raw_path = unquote(parts.path)
        if raw_path in ("", "/"):
            raise ConfigError(f"DATABASE_URL={url!r} names no SQLite file")
        if raw_path == "/:memory:":
            name = ":memory:"
        else:
            # sqlite:///var/x.sqlite3 -> relative, sqlite:////abs/x.sqlite3 -> absolute
            path = Path(raw_path[1:])
            name = str(path if path.is_absolute() else (relative_to / path))
        # Tests get a file database beside the real one, not Django's in-memory default:
        # an in-memory shared-cache database takes table locks that fail at once when the
        # live test server's threads and the test write concurrently.
        test_name = None if name == ":memory:" else f"{name.removesuffix('.sqlite3')}-test.sqlite3"
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": name,
            "TEST": {"NAME": test_name},
            # Persistent like PostgreSQL's: opening a SQLite file and running the init PRAGMAs
            # on every request cost /healthz 80 % of its throughput (bench baseline). Django's
            # connections are per thread, so the in-process worker's threads keep their own.
            "CONN_MAX_AGE": conn_max_age,
            "OPTIONS": {
                # WAL lets the in-process worker write while web requests read;
                # IMMEDIATE avoids lock upgrades that fail under concurrency.
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
                ),
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
        }
    if scheme in POSTGRES_SCHEMES:
        name = unquote(parts.path.lstrip("/"))
        if not name:
            raise ConfigError(f"DATABASE_URL={redact(url)!r} names no database (add /name)")
        options: dict[str, Any] = dict(parse_qsl(parts.query))
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": name,
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": unquote(parts.hostname or ""),
            "PORT": str(port or ""),
            "CONN_MAX_AGE": conn_max_age,
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": options,
        }
    raise ConfigError(
        f"DATABASE_URL scheme {scheme!r} is not supported (use sqlite:/// or postgres://)"
    )
