"""Reads of the identity context."""

from __future__ import annotations

from django.db.models import Prefetch

from luvat.identity.models import LocalMandate, OfficialRole, Person


def demo_people() -> list[Person]:
    """The test identity provider's persons with their roles and mandates (three queries)."""
    return list(
        Person.objects.filter(demo_key__isnull=False)
        .prefetch_related(
            "official_roles",
            Prefetch(
                "local_mandates", queryset=LocalMandate.objects.filter(revoked_at__isnull=True)
            ),
        )
        .order_by("demo_key")
    )


def official_roles_of(person: Person) -> list[OfficialRole]:
    return list(person.official_roles.order_by("authority_code"))


def officials_of_authority(authority_code: str) -> list[OfficialRole]:
    """The officials of one authority with their person (one query)."""
    return list(
        OfficialRole.objects.filter(authority_code=authority_code)
        .select_related("person")
        .order_by("person__family_name", "person__given_name", "id")
    )
