"""Demo history for the change metrics: past applications with their status events.

The projects app's services stamp events with the current time, so a history of past months
is written here directly, one application at a time, following the status machine. Each
application's cached status equals its last event, as the projects app requires.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.utils import timezone

from luvat.catalogue.models import Authority, Service
from luvat.projects.models import Application, EventSource, Project, StatusEvent
from luvat.projects.status import Outcome, Status

# The history belongs to companies of its own, which no demo person acts for, so that the demo
# customers' project lists hold only their own work. Names in Finnish, like the demo's.
HISTORY_PROJECT = "Muutosmittareiden esimerkkihistoria"
COMPANIES = (
    ("2000001-6", "Esimerkkihistoria Oy"),
    ("2000002-4", "Mittaridemo Oy"),
    ("2000003-2", "Vertailuaineisto Oy"),
)


@dataclass(frozen=True)
class HistorySpec:
    authority_code: str
    service_code: str
    applications: int
    months: int
    seed: int


def _moment(day: datetime, hours: float) -> datetime:
    return day + timedelta(hours=hours)


def _events(rng: random.Random, submitted: datetime, today: datetime) -> list[tuple[str, datetime]]:
    """One plausible path through the status machine, never past ``today``."""
    events = [(Status.DRAFT.value, submitted - timedelta(days=rng.randint(1, 5)))]
    events.append((Status.SUBMITTED.value, submitted))
    moment = submitted + timedelta(hours=rng.uniform(2, 72))
    path = [Status.RECEIVED, Status.IN_PROCESSING]
    if rng.random() < 0.3:
        path += [Status.SUPPLEMENT_REQUESTED, Status.IN_PROCESSING]
    path += [Status.DECISION_MADE]
    for status in path:
        if moment > today:
            break
        events.append((status.value, moment))
        moment += timedelta(days=rng.uniform(1, 14 if status != Status.IN_PROCESSING else 20))
    return events


def load_history(spec: HistorySpec) -> int:
    """Create the spec's applications once (per authority and service); returns how many."""
    authority = Authority.objects.filter(code=spec.authority_code).first()
    service = Service.objects.filter(code=spec.service_code).first()
    if authority is None or service is None:
        return 0
    prefix = f"{spec.service_code[:12].upper()}-D{spec.seed}"
    if Application.objects.filter(reference__startswith=prefix).exists():
        return 0
    rng = random.Random(spec.seed)  # noqa: S311  (demo data, not security)
    now = timezone.now()
    today = timezone.make_aware(datetime.combine(timezone.localdate(), time(12)))
    created = 0
    for index in range(spec.applications):
        day_offset = rng.randint(0, 30 * spec.months)
        submitted = _moment(today - timedelta(days=day_offset), rng.uniform(-3, 4))
        business_id, company = COMPANIES[index % len(COMPANIES)]
        events = _events(rng, submitted, now)
        # One project per application: a project holds one live application per service.
        project = Project.objects.create(
            business_id=business_id,
            company_name=company,
            name=f"{HISTORY_PROJECT} {index + 1}",
            municipality_code="091",
            created_by="load-demo",
            created_at=events[0][1],
            updated_at=events[-1][1],
        )
        last_status, last_at = events[-1]
        decided = last_status == Status.DECISION_MADE
        application = Application.objects.create(
            project=project,
            service=service,
            authority=authority,
            reference=f"{prefix}{index:03d}",
            status=last_status,
            status_changed_at=last_at,
            outcome=Outcome.GRANTED if decided else "",
            submitted_at=submitted,
            received_at=next((at for s, at in events if s == Status.RECEIVED), None),
            decided_at=last_at if decided else None,
            created_at=events[0][1],
        )
        previous = ""
        for status, at in events:
            StatusEvent.objects.create(
                application=application,
                status=status,
                previous_status=previous,
                outcome=Outcome.GRANTED if status == Status.DECISION_MADE else "",
                occurred_at=at,
                source=EventSource.CUSTOMER
                if status in (Status.DRAFT, Status.SUBMITTED)
                else EventSource.OFFICIAL,
                actor_label="demo",
            )
            previous = status
        created += 1
    return created
