"""Factories of the integrations app (plain typed functions: factory_boy's classes defeat mypy)."""

from __future__ import annotations

import itertools
from typing import Any

from luvat.audit.actors import Actor
from luvat.integrations.endpoints import authority_endpoint_save
from luvat.integrations.models import AuthorityEndpoint, TransportKind

ADMIN = Actor.system("tests")
_numbers = itertools.count(1)


def make_endpoint(*, signing_secret: str = "", **fields: Any) -> AuthorityEndpoint:
    """An enabled HTTP endpoint saved through its service (encrypted secret, circuit row)."""
    number = next(_numbers)
    values: dict[str, Any] = {
        "code": f"endpoint-{number}",
        "authority_code": f"authority-{number}",
        "transport": TransportKind.HTTP,
        "url": "http://127.0.0.1:9/receive",
        "read_timeout_seconds": 5.0,
        **fields,
    }
    return authority_endpoint_save(
        endpoint=AuthorityEndpoint(**values), actor=ADMIN, signing_secret=signing_secret or None
    )
