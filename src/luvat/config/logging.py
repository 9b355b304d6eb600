"""Structured logging: structlog for our code, the same renderer for Django's own logs."""

from __future__ import annotations

from typing import Any

import structlog

_configured = False


def _shared_processors() -> list[Any]:
    return [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        structlog.stdlib.PositionalArgumentsFormatter(),
        structlog.processors.StackInfoRenderer(),
    ]


def logging_config(*, fmt: str, level: str) -> dict[str, Any]:
    """A dictConfig for Django's LOGGING that routes everything through structlog."""
    global _configured
    renderer: Any = (
        structlog.processors.JSONRenderer()
        if fmt == "json"
        else structlog.dev.ConsoleRenderer(colors=False)
    )
    if not _configured:
        structlog.configure(
            processors=[
                *_shared_processors(),
                structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
            ],
            logger_factory=structlog.stdlib.LoggerFactory(),
            wrapper_class=structlog.stdlib.BoundLogger,
            cache_logger_on_first_use=True,
        )
        _configured = True
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "structured": {
                "()": structlog.stdlib.ProcessorFormatter,
                "processors": [
                    structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                    structlog.processors.format_exc_info,
                    renderer,
                ],
                "foreign_pre_chain": _shared_processors(),
            }
        },
        "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "structured"}},
        "root": {"handlers": ["stderr"], "level": level},
        "loggers": {
            # Django's own console handler would print every line a second time.
            "django": {"handlers": [], "propagate": True, "level": level},
            "django.db.backends": {"level": "INFO"},
            "waitress.queue": {"level": "ERROR"},
            "pika": {"level": "WARNING"},
            # pysaml2 logs whole SAML messages (personal data) at INFO and DEBUG.
            "saml2": {"level": "WARNING"},
            "xmlschema": {"level": "WARNING"},
        },
    }
