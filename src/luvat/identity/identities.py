"""What a log-in method tells us about a person, in one shape for every method."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from stdnum.exceptions import ValidationError
from stdnum.fi import hetu

from luvat.identity.models import LoginMethod

LEVELS_OF_ASSURANCE: dict[str, Promise] = {
    "http://ftn.ficora.fi/2017/loa3": _("high"),
    "http://eidas.europa.eu/LoA/high": _("high"),
    "http://ftn.ficora.fi/2017/loa2": _("substantial"),
    "http://eidas.europa.eu/LoA/substantial": _("substantial"),
    "urn:oid:1.2.246.517.3002.110.999": _("test identification, no assurance"),
}


# How strong each level is; a log-in must reach the level we asked for.
LEVEL_RANKS = {
    "urn:oid:1.2.246.517.3002.110.999": 0,  # Suomi.fi test environment's test methods
    "http://ftn.ficora.fi/2017/loa2": 2,
    "http://eidas.europa.eu/LoA/substantial": 2,
    "http://ftn.ficora.fi/2017/loa3": 3,
    "http://eidas.europa.eu/LoA/high": 3,
}


def check_level_of_assurance(reported: str, *, required: str) -> None:
    """IdentityRejected unless the reported level is at least the required one."""
    if not required:
        return
    needed = LEVEL_RANKS.get(required)
    got = LEVEL_RANKS.get(reported)
    if needed is None:
        if reported != required:
            raise IdentityRejected(f"level of assurance {reported!r} is not {required!r}")
        return
    if got is None or got < needed:
        raise IdentityRejected(f"level of assurance {reported!r} is below {required!r}")


def level_of_assurance_label(uri: str) -> str:
    label = LEVELS_OF_ASSURANCE.get(uri)
    return f"{label} ({uri})" if label else uri


class IdentityRejected(Exception):
    """The identity provider's answer lacks what we need; the message is safe to log."""


@dataclass(frozen=True)
class VerifiedIdentity:
    method: LoginMethod
    given_name: str = ""
    family_name: str = ""
    email: str = ""
    national_id: str = ""  # Finnish personal identity code (Suomi.fi only); never logged
    virtu_id: str = ""  # virtuLocalID@virtuHomeOrganization
    home_organisation: str = ""
    entitlements: tuple[str, ...] = ()
    address_disclosure_ban: bool = False
    level_of_assurance: str = ""
    demo_key: str = ""  # the test identity provider's person


def _first(attributes: Mapping[str, Sequence[str]], *names: str) -> str:
    for name in names:
        values = attributes.get(name) or []
        for value in values:
            if str(value).strip():
                return str(value).strip()
    return ""


def from_suomifi(
    attributes: Mapping[str, Sequence[str]], *, loa: str, required_loa: str = ""
) -> VerifiedIdentity:
    """Suomi.fi e-Identification's national attribute set (attribute names per our map)."""
    check_level_of_assurance(loa, required=required_loa)
    code = _first(attributes, "nationalIdentificationNumber").upper()
    if not code:
        raise IdentityRejected("no Finnish personal identity code in the assertion")
    try:
        code = hetu.validate(code, allow_temporary=True)
    except ValidationError:
        raise IdentityRejected("the personal identity code in the assertion is invalid") from None
    ban = _first(attributes, "TurvakieltoTieto").lower() in {"true", "1", "kyllä"}
    return VerifiedIdentity(
        method=LoginMethod.SUOMIFI,
        given_name=_first(attributes, "FirstName", "givenName"),
        family_name=_first(attributes, "sn", "eidasFamilyName"),
        email=_first(attributes, "mail"),
        national_id=code,
        address_disclosure_ban=ban,
        level_of_assurance=loa,
    )


def from_virtu(
    attributes: Mapping[str, Sequence[str]], *, loa: str, required_loa: str = ""
) -> VerifiedIdentity:
    """Virtu: the user id is virtuLocalID + virtuHomeOrganization; entitlements carry roles."""
    check_level_of_assurance(loa, required=required_loa)
    local_id = _first(attributes, "virtuLocalID")
    organisation = _first(attributes, "virtuHomeOrganization")
    family_name = _first(attributes, "sn")
    if not local_id or not organisation or not family_name:
        raise IdentityRejected("virtuLocalID, virtuHomeOrganization and sn are required")
    return VerifiedIdentity(
        method=LoginMethod.VIRTU,
        given_name=_first(attributes, "givenName"),
        family_name=family_name,
        email=_first(attributes, "mail"),
        virtu_id=f"{local_id}@{organisation}",
        home_organisation=_first(attributes, "o") or organisation,
        entitlements=tuple(
            str(value) for value in attributes.get("virtuPersonEntitlement") or [] if value
        ),
        level_of_assurance=loa,
    )
