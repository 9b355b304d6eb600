"""Demo activity for Festivaali Oy: supervision events from the rescue and environment
authorities and a first discussion message in its festival project. Idempotent; loaded after
the demo accounts and the demo project (order 70)."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.utils import timezone

from luvat.audit.actors import Actor, ActorKind
from luvat.discussion.models import Message, ThreadKind
from luvat.discussion.rooms import room_for_project
from luvat.discussion.services import message_post
from luvat.identity.models import Person
from luvat.projects.demo import DEMO_BUSINESS_ID, DEMO_PROJECT_NAME
from luvat.projects.models import Project
from luvat.supervision.models import EventKind, Frequency, SupervisionEvent
from luvat.supervision.recurrence import HELSINKI
from luvat.supervision.services import (
    EventDetails,
    supervision_event_schedule,
    supervision_series_schedule,
)
from luvat.web.demo import DemoResult


def _person_actor(key: str, kind: ActorKind, on_behalf_of: str) -> tuple[Actor, int] | None:
    person = Person.objects.filter(demo_key=key).first()
    if person is None:
        return None
    actor = Actor(
        kind=kind, ref=f"person:{person.pk}", label=person.full_name, on_behalf_of=on_behalf_of
    )
    return actor, person.user_id


def _at(days: int, hour: int) -> datetime:
    day = timezone.localdate() + timedelta(days=days)
    return datetime.combine(day, time(hour, 0), tzinfo=HELSINKI)


def _supervision(project: Project | None) -> int:
    if SupervisionEvent.objects.filter(business_id=DEMO_BUSINESS_ID).exists():
        return 0
    rescue = _person_actor("riikka", ActorKind.OFFICIAL, "HKI-RESCUE")
    environment = _person_actor("ville", ActorKind.OFFICIAL, "HKI-ENV")
    if rescue is None or environment is None:
        return 0
    supervision_event_schedule(
        actor=rescue[0],
        business_id=DEMO_BUSINESS_ID,
        details=EventDetails(
            kind=EventKind.INSPECTION,
            title="Yleisötilaisuuden palotarkastus",
            starts_at=_at(43, 10),
            ends_at=_at(43, 12),
            place="Kaisaniemen puisto, Helsinki",
            preparation=(
                "Pelastussuunnitelma, poistumisreittien kartta ja sammutinten huoltotiedot."
            ),
            site="Kaisaniemen puisto",
            project_id=project.pk if project else None,
        ),
    )
    supervision_series_schedule(
        actor=environment[0],
        business_id=DEMO_BUSINESS_ID,
        details=EventDetails(
            kind=EventKind.SAMPLING,
            title="Melumittaus",
            starts_at=_at(44, 21),
            ends_at=_at(44, 23),
            place="Kaisaniemen puiston itälaita",
            preparation="Äänentoiston vastuuhenkilö paikalla.",
            project_id=project.pk if project else None,
        ),
        frequency=Frequency.WEEKLY,
        interval=1,
        count=2,
    )
    return 3


def _discussion(project: Project | None) -> int:
    if project is None:
        return 0
    room = room_for_project(project)
    if Message.objects.filter(thread__room=room).exists():
        return 0
    customer = _person_actor("maija", ActorKind.CUSTOMER, DEMO_BUSINESS_ID)
    if customer is None:
        return 0
    thread = room.threads.get(kind=ThreadKind.CUSTOMER)
    message_post(
        actor=customer[0],
        user_id=customer[1],
        thread=thread,
        body=(
            "Hei! Festivaalin alue-esitys on nähtävissä osoitteessa "
            "https://example.invalid/kartta. Kysyttävää järjestelyistä voi esittää tässä ketjussa."
        ),
    )
    return 1


def load_demo_activity() -> DemoResult:
    project = Project.objects.filter(business_id=DEMO_BUSINESS_ID, name=DEMO_PROJECT_NAME).first()
    created = _supervision(project) + _discussion(project)
    return DemoResult(created=created, existing=0 if created else 1)
