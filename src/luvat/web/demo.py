"""Demo data: each app registers a loader; ``luvat load-demo`` runs them in order.

Loaders must be idempotent and must never overwrite what users changed: create
what is missing, leave what exists.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class DemoLogin:
    role: str
    username: str
    how: str


@dataclass(frozen=True)
class DemoResult:
    created: int
    existing: int


DemoLoader = Callable[[], DemoResult]


@dataclass(frozen=True)
class _Entry:
    order: int
    name: str
    loader: DemoLoader
    logins: tuple[DemoLogin, ...]


_entries: dict[str, _Entry] = {}


def register_demo_loader(
    name: str, loader: DemoLoader, *, order: int = 100, logins: tuple[DemoLogin, ...] = ()
) -> None:
    """Register ``loader`` under ``name``; lower ``order`` runs first (catalogue before projects).

    ``logins`` are the demo log-ins the loader provides, printed by load-demo and serve.
    """
    _entries[name] = _Entry(order=order, name=name, loader=loader, logins=logins)


def demo_loaders() -> list[tuple[str, DemoLoader]]:
    ordered = sorted(_entries.values(), key=lambda entry: (entry.order, entry.name))
    return [(entry.name, entry.loader) for entry in ordered]


def demo_logins() -> list[DemoLogin]:
    ordered = sorted(_entries.values(), key=lambda entry: (entry.order, entry.name))
    return [login for entry in ordered for login in entry.logins]
