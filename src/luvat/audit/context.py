"""The request an audit record belongs to, carried in a context variable."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestContext:
    request_id: str = ""
    ip: str = ""
    x_road_client: str = ""


_NONE = RequestContext()
_current: ContextVar[RequestContext | None] = ContextVar("luvat_request_context", default=None)


def current_request_context() -> RequestContext:
    return _current.get() or _NONE


@contextmanager
def bind_request_context(context: RequestContext) -> Iterator[None]:
    token = _current.set(context)
    try:
        yield
    finally:
        _current.reset(token)
