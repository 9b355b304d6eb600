"""An authority administrator grants, limits to services and revokes officials' roles on a
page; each change is audited; nobody else may, and the limit is what policy then applies."""

from __future__ import annotations

import pytest
from django.test import Client

from luvat.audit.actors import Actor, ActorKind
from luvat.audit.models import AuditEvent
from luvat.identity.models import OfficialRole, RoleSource
from luvat.identity.policy import service_codes_for
from tests.identity.factories import OfficialRoleFactory, PersonFactory
from tests.identity.helpers import act_as_official

pytestmark = pytest.mark.django_db

PAGE = "/en/account/officials/"


def test_the_authority_administrator_grants_limits_and_revokes_roles():
    admin = OfficialRoleFactory.create(authority_code="HKI-RESCUE", is_authority_admin=True)
    newcomer = PersonFactory.create(email="olli@hel.example")
    client = Client()
    act_as_official(client, admin.person, "HKI-RESCUE")
    assert "Officials and their roles" in client.get(PAGE).content.decode()

    client.post(PAGE, {"action": "grant", "person": "OLLI@hel.example", "services": "x y,z!"})
    assert not OfficialRole.objects.filter(person=newcomer).exists()  # "z!" is no code
    client.post(PAGE, {"action": "grant", "person": "olli@hel.example", "services": "rescue-plan"})
    role = OfficialRole.objects.get(person=newcomer)
    assert (role.authority_code, role.service_codes, role.source) == (
        "HKI-RESCUE",
        ["rescue-plan"],
        RoleSource.ADMIN,
    )
    client.post(
        PAGE,
        {"action": "limit", "role": role.pk, "services": "rescue-plan, fireworks", "admin": "on"},
    )
    role.refresh_from_db()
    assert role.service_codes == ["fireworks", "rescue-plan"] and role.is_authority_admin
    page = client.get(PAGE).content.decode()
    assert "fireworks, rescue-plan" in page

    client.post(PAGE, {"action": "revoke", "role": admin.pk})  # not one's own
    assert OfficialRole.objects.filter(pk=admin.pk).exists()
    client.post(PAGE, {"action": "revoke", "role": role.pk})
    assert not OfficialRole.objects.filter(pk=role.pk).exists()

    audited = list(
        AuditEvent.objects.filter(action__startswith="official_role.")
        .order_by("id")
        .values_list("action", "details")
    )
    assert [action for action, _details in audited] == [
        "official_role.grant",
        "official_role.limit",
        "official_role.revoke",
    ]
    assert audited[1][1]["before"]["service_codes"] == ["rescue-plan"]


def test_the_limit_is_what_the_policy_applies_and_virtu_roles_are_ended_in_virtu():
    admin = OfficialRoleFactory.create(authority_code="HKI-RESCUE", is_authority_admin=True)
    virtu = OfficialRoleFactory.create(authority_code="HKI-RESCUE", source=RoleSource.VIRTU)
    client = Client()
    act_as_official(client, admin.person, "HKI-RESCUE")
    client.post(PAGE, {"action": "limit", "role": virtu.pk, "services": "rescue-plan"})
    as_official = Actor(
        kind=ActorKind.OFFICIAL, ref=f"person:{virtu.person_id}", on_behalf_of="HKI-RESCUE"
    )
    assert service_codes_for(as_official, "HKI-RESCUE") == frozenset({"rescue-plan"})
    client.post(PAGE, {"action": "revoke", "role": virtu.pk})
    assert OfficialRole.objects.filter(pk=virtu.pk).exists()


def test_only_the_authoritys_administrator_may():
    OfficialRoleFactory.create(authority_code="HKI-RESCUE", is_authority_admin=True)
    plain = OfficialRoleFactory.create(authority_code="HKI-RESCUE")
    other_admin = OfficialRoleFactory.create(authority_code="HKI-POLICE", is_authority_admin=True)
    client = Client()
    act_as_official(client, plain.person, "HKI-RESCUE")
    assert client.get(PAGE).status_code == 403
    assert client.post(PAGE, {"action": "revoke", "role": plain.pk}).status_code == 403
    client = Client()
    act_as_official(client, other_admin.person, "HKI-POLICE")
    client.post(PAGE, {"action": "revoke", "role": plain.pk})  # not of this authority
    assert OfficialRole.objects.filter(pk=plain.pk).exists()
    assert not AuditEvent.objects.filter(action__startswith="official_role.").exists()
