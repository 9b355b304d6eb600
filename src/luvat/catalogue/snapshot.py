"""A per-process copy of the catalogue rows the assessment reads on every request.

The assessment needs the package (questionnaire, rules, services), the services matched
(with their dependencies), the authorities that may handle them and the municipalities. They
change only when the catalogue is loaded or edited in the admin, so each process keeps them,
with the compiled package, in one :class:`Snapshot`, and asks the database only for the
catalogue's revision number (``CatalogueRevision``, one row) on each use: one small query,
and a change made by any process is seen by every other at its next request.

Every save, delete or many-to-many change of a catalogue row raises the number (signals
connected in ``CatalogueConfig.ready``); ``catalogue_load`` raises it once at the end of
its bulk writes. A bulk ``QuerySet.update`` elsewhere must call :func:`bump_revision`.
The number never goes back, even when a transaction that raised it is rolled back: it is
the larger of the old number + 1 and the current time in microseconds.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from django.db import connection
from django.db.models import Prefetch

from luvat.catalogue.models import (
    Authority,
    CatalogueRevision,
    Municipality,
    Service,
    ServicePackage,
)

if TYPE_CHECKING:
    from luvat.assessment.questionnaire import CompiledPackage

_TABLE = CatalogueRevision._meta.db_table
_deferred: ContextVar[list[bool] | None] = ContextVar(
    "catalogue_revision_bump_deferred", default=None
)
_lock = threading.Lock()
_current: Snapshot | None = None


def current_revision() -> int:
    """The catalogue's revision number in the database (0 when its row is missing)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT number FROM {_TABLE} WHERE id = 1")  # noqa: S608 - a model's table
        row = cursor.fetchone()
    return int(row[0]) if row else 0


def bump_revision() -> None:
    """Raise the revision number (inside :func:`bumps_deferred`: once, when it ends)."""
    deferred = _deferred.get()
    if deferred is not None:
        deferred.append(True)
        return
    now = time.time_ns() // 1000
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {_TABLE} SET number = CASE WHEN number + 1 > %s THEN number + 1 "  # noqa: S608
            "ELSE %s END WHERE id = 1",
            [now, now],
        )
        if cursor.rowcount:
            return
    CatalogueRevision.objects.update_or_create(pk=1, defaults={"number": now})


@contextmanager
def bumps_deferred() -> Iterator[None]:
    """Many catalogue writes, one revision bump at the end (if any of them asked for one)."""
    if _deferred.get() is not None:
        yield
        return
    asked: list[bool] = []
    token = _deferred.set(asked)
    try:
        yield
    finally:
        _deferred.reset(token)
    if asked:
        bump_revision()


def catalogue_changed(**_kwargs: Any) -> None:
    """Signal receiver (post_save, post_delete, m2m_changed of the catalogue models)."""
    bump_revision()


@dataclass
class Snapshot:
    revision: int
    packages: dict[str, ServicePackage]
    services: dict[str, Service]
    authorities: tuple[Authority, ...]
    served: dict[int, frozenset[str]]
    municipalities: dict[str, Municipality]
    _compiled: dict[str, CompiledPackage] = field(default_factory=dict)

    def compiled(self, package: ServicePackage) -> CompiledPackage:
        """The package compiled once per snapshot (``package`` is one of :attr:`packages`)."""
        found = self._compiled.get(package.code)
        if found is None:
            from luvat.assessment.questionnaire import compile_package_data

            services = tuple(s.code for s in package.services.all())
            found = compile_package_data(
                package.code, package.questionnaire, package.rules, services
            )
            self._compiled[package.code] = found
        return found

    def authorities_valid_on(
        self, day: date, kinds: set[str], municipality_codes: set[str]
    ) -> list[Authority]:
        """As ``Authority.valid_on_q(day)``, of these kinds, nationwide or serving one of the
        municipalities; ordered by code."""
        return [
            a
            for a in self.authorities
            if a.kind in kinds
            and (a.valid_from is None or a.valid_from <= day)
            and (a.valid_until is None or a.valid_until >= day)
            and (a.nationwide or not self.served[a.pk].isdisjoint(municipality_codes))
        ]


def _build(revision: int) -> Snapshot:
    dependencies = Prefetch(
        "depends_on", queryset=Service.objects.only("id", "code", "name_fi", "name_sv", "name_en")
    )
    packages = ServicePackage.objects.filter(active=True).prefetch_related(
        Prefetch("services", queryset=Service.objects.only("id", "code"))
    )
    authorities = tuple(Authority.objects.order_by("code").prefetch_related("municipalities"))
    return Snapshot(
        revision=revision,
        packages={p.code: p for p in packages},
        services={
            s.code: s
            for s in Service.objects.defer(
                "form_schema", "shared_data_mapping", "attachments"
            ).prefetch_related(dependencies)
        },
        authorities=authorities,
        served={a.pk: frozenset(m.code for m in a.municipalities.all()) for a in authorities},
        municipalities={m.code: m for m in Municipality.objects.all()},
    )


def snapshot() -> Snapshot:
    """The current snapshot: one query (the revision number) when nothing has changed."""
    global _current
    revision = current_revision()
    found = _current
    if found is not None and found.revision == revision:
        return found
    with _lock:
        found = _current
        if found is None or found.revision != revision:
            found = _current = _build(revision)
    return found
