"""Who a company's and an authority's people are, from the identity context's records."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from django.utils import timezone

from luvat.audit.models import AuditEvent
from luvat.identity.models import LocalMandate, OfficialRole, Person
from luvat.identity.policy import role_services, services_allow

# People who chose to act for a company this recently count as its people (a mandate from
# Suomi.fi e-Authorizations is only known at log-in, and it is checked again at every log-in).
RECENTLY_ACTING = timedelta(days=180)


def company_people(business_ids: Iterable[str]) -> set[int]:
    """Users with a standing local mandate for the companies, or who recently acted for them."""
    ids = sorted(set(business_ids))
    active = set(
        LocalMandate.objects.filter(business_id__in=ids, revoked_at__isnull=True).values_list(
            "person__user_id", flat=True
        )
    )
    refs = AuditEvent.objects.filter(
        action="person.act_for_company",
        target_type="company",
        target_id__in=ids,
        occurred_at__gte=timezone.now() - RECENTLY_ACTING,
    ).values_list("actor_ref", flat=True)
    person_ids = {int(ref.split(":", 1)[1]) for ref in refs if ref.startswith("person:")}
    recent = set(Person.objects.filter(pk__in=person_ids).values_list("user_id", flat=True))
    revoked = set(
        LocalMandate.objects.filter(business_id__in=ids, revoked_at__isnull=False).values_list(
            "person__user_id", flat=True
        )
    )
    return active | (recent - revoked)


def authority_people(authority_codes: Iterable[str]) -> set[int]:
    """Users holding an official role at the authorities."""
    return set(
        OfficialRole.objects.filter(authority_code__in=sorted(set(authority_codes))).values_list(
            "person__user_id", flat=True
        )
    )


def authority_service_people(pairs: Iterable[tuple[str, str]]) -> set[int]:
    """Users holding an official role at the authority whose services cover the service (a
    role limited to other services does not; "" as the service: unlimited roles only)."""
    wanted: dict[str, set[str]] = {}
    for code, service in pairs:
        wanted.setdefault(code, set()).add(service)
    roles = OfficialRole.objects.filter(authority_code__in=sorted(wanted)).values_list(
        "authority_code", "service_codes", "person__user_id"
    )
    return {
        user_id
        for code, service_codes, user_id in roles
        if user_id is not None
        and any(services_allow(role_services(service_codes), s) for s in wanted[code])
    }
