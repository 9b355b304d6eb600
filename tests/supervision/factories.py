from datetime import timedelta
from typing import Any

from django.utils import timezone
from factory.declarations import LazyAttribute, LazyFunction, Sequence, Trait
from factory.django import DjangoModelFactory

from luvat.audit.actors import Actor, ActorKind
from luvat.supervision.models import EventKind, EventStatus, SupervisionEvent
from luvat.supervision.services import EventDetails

COMPANY = "1234567-1"
OTHER_COMPANY = "7654321-2"
RESCUE = "hki-rescue"
POLICE = "hki-police"


def official(authority: str = RESCUE, ref: str = "") -> Actor:
    """An official holding a role at ``authority`` (the policy checks the role exists)."""
    from luvat.identity.models import OfficialRole
    from tests.identity.factories import OfficialRoleFactory

    role = OfficialRole.objects.filter(authority_code=authority).first()
    if role is None:
        role = OfficialRoleFactory.create(authority_code=authority)
    return Actor(
        kind=ActorKind.OFFICIAL,
        ref=f"person:{role.person_id}",
        label="Olli Official",
        on_behalf_of=authority,
    )


def customer(business_id: str = COMPANY, ref: str = "person:2") -> Actor:
    return Actor(
        kind=ActorKind.CUSTOMER, ref=ref, label="Cecilia Customer", on_behalf_of=business_id
    )


def details(days_ahead: int = 10, **overrides) -> EventDetails:
    start = timezone.now().replace(microsecond=0) + timedelta(days=days_ahead)
    values: dict[str, Any] = {
        "kind": EventKind.INSPECTION,
        "title": "Fire inspection",
        "starts_at": start,
        "ends_at": start + timedelta(hours=2),
        "place": "Hall 3, Messukeskus",
        "preparation": "Rescue plan and extinguisher service records",
    }
    values.update(overrides)
    return EventDetails(**values)


class SupervisionEventFactory(DjangoModelFactory[SupervisionEvent]):
    class Meta:
        model = SupervisionEvent

    business_id = COMPANY
    authority_code = RESCUE
    kind = EventKind.INSPECTION
    title = Sequence(lambda n: f"Inspection {n}")
    starts_at = LazyFunction(lambda: timezone.now() + timedelta(days=5))
    ends_at = LazyAttribute(lambda o: o.starts_at + timedelta(hours=1))
    place = "Site office"
    status = EventStatus.PLANNED
    scheduled_by_ref = "person:1"

    class Params:
        confirmed = Trait(status=EventStatus.CONFIRMED)
        cancelled = Trait(status=EventStatus.CANCELLED)
        past = Trait(starts_at=LazyFunction(lambda: timezone.now() - timedelta(days=30)))
