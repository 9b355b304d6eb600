"""Joining records for tests, built through the service functions (as users build them)."""

from __future__ import annotations

from django.test import Client

from luvat.audit.actors import Actor
from luvat.catalogue.models import Authority, AuthorityKind, Service
from luvat.identity.models import Person
from luvat.onboarding import services
from luvat.onboarding.models import ChecklistItem, ItemState, Joining, ServiceJoining
from luvat.onboarding.phases import Phase
from tests.identity.factories import OfficialRoleFactory, PersonFactory
from tests.identity.helpers import act_as_administrator, act_as_official
from tests.projects.factories import AuthorityFactory, ServiceFactory

SYSTEM = Actor.system("tests")


def environment_authority(code: str = "HKI-ENV") -> Authority:
    return AuthorityFactory.create(code=code, kind=AuthorityKind.MUNICIPAL_ENVIRONMENT)


def environment_service(code: str = "noise", **extra: object) -> Service:
    return ServiceFactory.create(
        code=code, authority_kind=AuthorityKind.MUNICIPAL_ENVIRONMENT, **extra
    )


def joining_with_service(
    *,
    authority: Authority | None = None,
    service: Service | None = None,
    mode: str = "light",
    phase: Phase = Phase.TESTING,
) -> ServiceJoining:
    """A joining with one service walked up to ``phase`` (not production)."""
    authority = authority or environment_authority()
    joining = Joining.objects.filter(authority=authority).first() or services.joining_create(
        authority=authority, actor=SYSTEM
    )
    service_joining = services.service_joining_add(
        joining=joining, service=service or environment_service(), mode=mode, actor=SYSTEM
    )
    path = [Phase.PREPARING, Phase.TESTING, Phase.PILOT]
    for step in path[: path.index(phase) + 1] if phase in path else []:
        services.service_joining_move(service_joining=service_joining, phase=step, actor=SYSTEM)
    return service_joining


def complete_checklist(service_joining: ServiceJoining) -> None:
    for item in ChecklistItem.objects.filter(joining_id=service_joining.joining_id):
        if item.service_joining_id in (None, service_joining.pk):
            services.checklist_item_update(
                item=item,
                actor=SYSTEM,
                owner="Owner",
                state=ItemState.DONE,
                evidence_note="done",
                evidence_link="",
                done_on=None,
            )


def authority_admin(authority_code: str = "HKI-ENV") -> Person:
    role = OfficialRoleFactory.create(authority_code=authority_code, is_authority_admin=True)
    return role.person


def official(authority_code: str = "HKI-ENV") -> Person:
    return OfficialRoleFactory.create(authority_code=authority_code).person


def admin_client() -> Client:
    client = Client()
    act_as_administrator(client, PersonFactory.create(administrator=True))
    return client


def official_client(person: Person, authority_code: str = "HKI-ENV") -> Client:
    client = Client()
    act_as_official(client, person, authority_code)
    return client
