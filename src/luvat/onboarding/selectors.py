"""Reads of onboarding, each in a fixed number of queries."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, Q
from django.utils import timezone

from luvat.catalogue.joining import meaning
from luvat.catalogue.models import Authority, Service
from luvat.onboarding.gate import Missing, go_live_missing
from luvat.onboarding.models import (
    ChecklistItem,
    ItemState,
    Joining,
    MetricBaseline,
    ModeChange,
    PhaseChange,
    PilotCompany,
    PilotFeedback,
    ServiceJoining,
    mode_at,
)
from luvat.onboarding.phases import ORDER, Phase
from luvat.onboarding.readiness import Readiness, technical_readiness


@dataclass
class ServiceRow:
    service_joining: ServiceJoining
    mode: str
    planned: list[ModeChange] = field(default_factory=list)

    @property
    def service(self) -> Service:
        return self.service_joining.service


def _rows(service_joinings: list[ServiceJoining]) -> list[ServiceRow]:
    changes: dict[int, list[ModeChange]] = defaultdict(list)
    for change in ModeChange.objects.filter(
        service_joining__in=[sj.pk for sj in service_joinings]
    ).order_by("effective_at", "id"):
        changes[change.service_joining_id].append(change)
    now = timezone.now()
    return [
        ServiceRow(
            service_joining=sj,
            mode=mode_at(changes[sj.pk], now, sj.service.joining_mode),
            planned=[c for c in changes[sj.pk] if c.effective_at > now],
        )
        for sj in service_joinings
    ]


@dataclass
class BoardColumn:
    phase: Phase
    rows: list[tuple[Joining, ServiceRow]]


def joining_board() -> tuple[list[Joining], list[BoardColumn], list[Authority]]:
    """Every joining and every service joining by phase, and authorities not yet joining.

    Four queries.
    """
    joinings = list(Joining.objects.select_related("authority").order_by("authority__code"))
    by_id = {j.pk: j for j in joinings}
    service_joinings = list(
        ServiceJoining.objects.select_related("service").order_by(
            "joining__authority__code", "service__code"
        )
    )
    columns = {phase: BoardColumn(phase=phase, rows=[]) for phase in ORDER}
    for row in _rows(service_joinings):
        columns[Phase(row.service_joining.phase)].rows.append(
            (by_id[row.service_joining.joining_id], row)
        )
    others = list(
        Authority.objects.filter(joining__isnull=True, valid_until__isnull=True).order_by("code")
    )
    return joinings, list(columns.values()), others


@dataclass
class JoiningOverview:
    joining: Joining
    services: list[ServiceRow]
    checklist_open: dict[int | None, int]
    authority_items: list[ChecklistItem]
    history: list[PhaseChange]

    @property
    def authority_open(self) -> int:
        return sum(1 for i in self.authority_items if i.mandatory and not i.is_done)


def joining_by_code(authority_code: str) -> Joining | None:
    return (
        Joining.objects.select_related("authority").filter(authority__code=authority_code).first()
    )


def joining_overview(joining: Joining) -> JoiningOverview:
    """The joining with its services, roles, checklist and history; six queries."""
    service_joinings = list(
        ServiceJoining.objects.filter(joining=joining)
        .select_related("service")
        .order_by("service__code")
    )
    open_items: dict[int | None, int] = {}
    for service_joining_id, count in (
        ChecklistItem.objects.filter(joining=joining, mandatory=True)
        .exclude(state=ItemState.DONE)
        .values("service_joining_id")
        .annotate(n=Count("id"))
        .values_list("service_joining_id", "n")
    ):
        open_items[service_joining_id] = count
    joining.role_list = list(joining.roles.order_by("kind", "name"))  # type: ignore[attr-defined]
    history = list(
        PhaseChange.objects.filter(joining=joining, service_joining__isnull=True).order_by(
            "-occurred_at", "-id"
        )[:20]
    )
    return JoiningOverview(
        joining=joining,
        services=_rows(service_joinings),
        checklist_open=open_items,
        authority_items=list(
            ChecklistItem.objects.filter(joining=joining, service_joining__isnull=True).order_by(
                "position", "id"
            )
        ),
        history=history,
    )


def service_joining_by_codes(authority_code: str, service_code: str) -> ServiceJoining | None:
    return (
        ServiceJoining.objects.select_related("joining__authority", "service")
        .filter(joining__authority__code=authority_code, service__code=service_code)
        .first()
    )


@dataclass
class ServiceJoiningDetail:
    row: ServiceRow
    checklist: list[ChecklistItem]
    pilot_companies: list[PilotCompany]
    history: list[PhaseChange]
    feedback: list[PilotFeedback]
    readiness: Readiness | None
    missing: list[Missing]


def service_joining_detail(service_joining: ServiceJoining) -> ServiceJoiningDetail:
    """Everything on a service's joining page, including what the go-live gate would say."""
    row = _rows([service_joining])[0]
    checklist = list(
        ChecklistItem.objects.filter(
            Q(service_joining__isnull=True) | Q(service_joining=service_joining),
            joining_id=service_joining.joining_id,
        ).order_by("position", "id")
    )
    readiness = None
    if any(meaning(m).tells_authority_system for m in [row.mode, *(c.mode for c in row.planned)]):
        readiness = technical_readiness(
            authority_code=service_joining.joining.authority.code,
            service_code=service_joining.service.code,
        )
    return ServiceJoiningDetail(
        row=row,
        checklist=checklist,
        pilot_companies=list(service_joining.pilot_companies.order_by("business_id")),
        history=list(service_joining.phase_changes.order_by("-occurred_at", "-id")[:50]),
        feedback=list(service_joining.feedback.order_by("-created_at")[:100]),
        readiness=readiness,
        missing=go_live_missing(service_joining)
        if service_joining.phase != Phase.PRODUCTION
        else [],
    )


def checklist_item(joining: Joining, item_id: int) -> ChecklistItem | None:
    return (
        ChecklistItem.objects.select_related("service_joining__service")
        .filter(joining=joining, pk=item_id)
        .first()
    )


def baselines_for(
    joining: Joining, service_joining: ServiceJoining | None
) -> dict[str, MetricBaseline]:
    return {
        b.metric: b
        for b in MetricBaseline.objects.filter(joining=joining, service_joining=service_joining)
    }


def default_period(service_joining: ServiceJoining | None) -> tuple[date, date]:
    """Since the service went live, else the last twelve months (the after-state)."""
    today = timezone.localdate()
    if service_joining is not None and service_joining.production_since is not None:
        return timezone.localdate(service_joining.production_since), today
    return (today - timedelta(days=365)).replace(day=1), today
