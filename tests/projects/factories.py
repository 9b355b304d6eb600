"""Factories for projects and the bits of catalogue they need, with lifecycle traits."""

from __future__ import annotations

from typing import Any

from factory.declarations import LazyFunction, Sequence
from factory.django import DjangoModelFactory

from luvat.audit.actors import Actor, ActorKind
from luvat.catalogue.models import (
    Authority,
    AuthorityKind,
    AuthorityResolution,
    JoiningMode,
    Municipality,
    Service,
    ServiceKind,
    VocabularyField,
    VocabularyType,
)
from luvat.projects.models import Project

BUSINESS_A = "1234567-1"
BUSINESS_B = "7654321-2"

CUSTOMER_A = Actor(
    kind=ActorKind.CUSTOMER, ref="user:1", label="Aino Asiakas", on_behalf_of=BUSINESS_A
)
OFFICIAL = Actor(
    kind=ActorKind.OFFICIAL, ref="user:9", label="Olli Official", on_behalf_of="HKI-POLICE"
)
SYSTEM = Actor.system("tests")

EVENT_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "organiser_email": {"type": "string", "format": "email", "title": "Organiser e-mail"},
        "event_name": {"type": "string", "title": "Event name", "minLength": 1},
        "attendance": {"type": "integer", "title": "Largest attendance at once", "minimum": 1},
        "fireworks": {"type": "boolean", "title": "Fireworks"},
        "venue_kind": {"type": "string", "enum": ["indoor", "outdoor"], "title": "Venue"},
    },
    "required": ["organiser_email", "event_name", "attendance", "venue_kind"],
}
EVENT_MAPPING = {"organiser_email": "contact_email", "event_name": "activity_name"}


class MunicipalityFactory(DjangoModelFactory[Municipality]):
    class Meta:
        model = Municipality
        django_get_or_create = ("code",)

    code = "091"
    name_fi = "Helsinki"
    name_sv = "Helsingfors"


class AuthorityFactory(DjangoModelFactory[Authority]):
    class Meta:
        model = Authority
        django_get_or_create = ("code",)

    code = Sequence(lambda n: f"AUTH-{n}")
    name_fi = Sequence(lambda n: f"Viranomainen {n}")
    kind = AuthorityKind.POLICE
    nationwide = True


class ServiceFactory(DjangoModelFactory[Service]):
    class Meta:
        model = Service
        django_get_or_create = ("code",)

    code = Sequence(lambda n: f"service-{n}")
    name_fi = Sequence(lambda n: f"Palvelu {n}")
    kind = ServiceKind.NOTIFICATION
    authority_kind = AuthorityKind.POLICE
    authority_resolution = AuthorityResolution.NATIONAL
    lead_time_days = 14
    processing_time_days = 30
    joining_mode = JoiningMode.LIGHT
    form_schema = LazyFunction(lambda: dict(EVENT_SCHEMA))
    shared_data_mapping = LazyFunction(lambda: dict(EVENT_MAPPING))
    attachments = LazyFunction(
        lambda: [
            {
                "code": "site_map",
                "name_fi": "Asemapiirros",
                "name_en": "Site map",
                "required": True,
                "types": ["pdf", "png"],
                "max_bytes": 1024 * 1024,
            }
        ]
    )


def vocabulary() -> dict[str, VocabularyField]:
    """The shared-data fields the tests use."""
    specs = [
        ("business_id", "company", VocabularyType.BUSINESS_ID, "Y-tunnus"),
        ("company_name", "company", VocabularyType.STRING, "Yrityksen nimi"),
        ("contact_email", "contact", VocabularyType.EMAIL, "Yhteyshenkilön sähköposti"),
        ("contact_phone", "contact", VocabularyType.PHONE, "Yhteyshenkilön puhelin"),
        ("activity_name", "activity", VocabularyType.STRING, "Toiminnan nimi"),
        ("start_date", "schedule", VocabularyType.DATE, "Alkaa"),
        ("end_date", "schedule", VocabularyType.DATE, "Päättyy"),
        ("site_municipality", "site", VocabularyType.MUNICIPALITY, "Kunta"),
        ("expected_attendance", "site", VocabularyType.INTEGER, "Osallistujia"),
    ]
    fields = {}
    for order, (code, group, kind, label) in enumerate(specs):
        fields[code], _ = VocabularyField.objects.get_or_create(
            code=code,
            defaults={
                "group": group,
                "type": kind,
                "label_fi": label,
                "label_en": label,
                "order": order,
            },
        )
    return fields


class ProjectFactory(DjangoModelFactory[Project]):
    class Meta:
        model = Project

    business_id = BUSINESS_A
    company_name = "Festivaali Oy"
    name = Sequence(lambda n: f"Kesäfestivaali {n}")
