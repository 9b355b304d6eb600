"""An authority administrator grants, limits (to services) and revokes officials' roles.

Every change is audited. Roles that come from Virtu entitlements are kept in step with Virtu
at each log-in, so they are limited here but revoked in Virtu; roles granted here are not
touched by Virtu. An administrator cannot revoke their own role (so that no authority locks
itself out by a slip).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from luvat.audit.actors import Actor
from luvat.audit.services import audit_record
from luvat.identity.models import OfficialRole, Person, RoleSource
from luvat.identity.policy import (
    authorise,
    is_administrator,
    is_authority_administrator,
    person_id_of,
)

_SERVICE_CODE = re.compile(r"^[-a-zA-Z0-9_]{1,80}$")


class RoleChangeRefused(ValueError):
    """The change cannot be made; ``reason`` says why in words for the administrator."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _may_administer(actor: Actor, authority_code: str) -> None:
    authorise(
        actor,
        is_administrator(actor) or is_authority_administrator(actor, authority_code),
        object_type="identity.official_role",
        object_id=authority_code,
        purpose="official_role_admin",
    )


def service_codes_from(text: str | Iterable[str]) -> list[str]:
    """Service codes from "a, b c" or a list; an empty list means every service."""
    items = re.split(r"[\s,]+", text) if isinstance(text, str) else list(text)
    codes = sorted({item.strip() for item in items if item.strip()})
    bad = [code for code in codes if not _SERVICE_CODE.match(code)]
    if bad:
        raise RoleChangeRefused(_("Not a service code: %(codes)s") % {"codes": ", ".join(bad)})
    return codes


def person_find(identifier: str) -> Person | None:
    """The person by their e-mail address or Virtu user id (they must have logged in once)."""
    identifier = identifier.strip()
    if not identifier:
        return None
    return Person.objects.filter(Q(virtu_id=identifier) | Q(email__iexact=identifier)).first()


@transaction.atomic
def official_role_grant(
    *,
    actor: Actor,
    authority_code: str,
    person: Person,
    service_codes: list[str],
    is_authority_admin: bool = False,
) -> OfficialRole:
    """Make ``person`` an official of the authority (for ``service_codes``, or all if empty)."""
    _may_administer(actor, authority_code)
    if OfficialRole.objects.filter(person=person, authority_code=authority_code).exists():
        raise RoleChangeRefused(_("The person already has a role at this authority."))
    role = OfficialRole.objects.create(
        person=person,
        authority_code=authority_code,
        service_codes=service_codes,
        is_authority_admin=is_authority_admin,
        source=RoleSource.ADMIN,
    )
    audit_record(
        actor=actor,
        action="official_role.grant",
        target=role,
        details={
            "authority_code": authority_code,
            "person_id": person.pk,
            "service_codes": service_codes,
            "is_authority_admin": is_authority_admin,
        },
    )
    return role


@transaction.atomic
def official_role_limit(
    *, actor: Actor, role: OfficialRole, service_codes: list[str], is_authority_admin: bool
) -> OfficialRole:
    """Change which services the official handles (empty: all) and whether they administer."""
    role = OfficialRole.objects.select_for_update().get(pk=role.pk)
    _may_administer(actor, role.authority_code)
    before = {"service_codes": role.service_codes, "is_authority_admin": role.is_authority_admin}
    role.service_codes = service_codes
    role.is_authority_admin = is_authority_admin
    role.save(update_fields=["service_codes", "is_authority_admin"])
    audit_record(
        actor=actor,
        action="official_role.limit",
        target=role,
        details={
            "authority_code": role.authority_code,
            "person_id": role.person_id,
            "before": before,
            "after": {"service_codes": service_codes, "is_authority_admin": is_authority_admin},
        },
    )
    return role


@transaction.atomic
def official_role_revoke(*, actor: Actor, role: OfficialRole) -> None:
    """End the official's role at the authority."""
    role = OfficialRole.objects.select_for_update().get(pk=role.pk)
    _may_administer(actor, role.authority_code)
    if role.source == RoleSource.VIRTU:
        raise RoleChangeRefused(_("This role comes from Virtu: end it in Virtu."))
    if person_id_of(actor) == role.person_id:
        raise RoleChangeRefused(_("You cannot revoke your own role."))
    audit_record(
        actor=actor,
        action="official_role.revoke",
        target=role,
        details={
            "authority_code": role.authority_code,
            "person_id": role.person_id,
            "service_codes": role.service_codes,
        },
    )
    role.delete()
