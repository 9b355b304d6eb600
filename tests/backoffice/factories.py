"""The event project of the Done-when scenario, built with the real services: Festivaali Oy's
festival with a rescue plan (light e-service, rescue authority) and a public event notification
(redirect to the police's own e-service); and the people who handle it."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile

from luvat.audit.actors import Actor, ActorKind
from luvat.catalogue.models import AuthorityKind, JoiningMode, ServiceKind
from luvat.identity.models import LocalMandate, OfficialRole, Person
from luvat.projects.models import Application, Project
from luvat.projects.services import (
    application_redirect_record,
    application_save_form,
    application_submit,
    attachment_add,
    project_create,
)
from tests.identity.factories import FESTIVAALI, LocalMandateFactory, OfficialRoleFactory
from tests.projects.factories import (
    AuthorityFactory,
    MunicipalityFactory,
    ServiceFactory,
    vocabulary,
)
from tests.samples import MINIMAL_PDF

PDF = MINIMAL_PDF
RESCUE = "HKI-RESCUE"
POLICE = "HKI-POLICE"


def pdf(name: str = "document.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def official(code: str, given_name: str = "Olli", family_name: str = "Official") -> Actor:
    role = OfficialRoleFactory.create(
        authority_code=code, person__given_name=given_name, person__family_name=family_name
    )
    return actor_of(role.person, ActorKind.OFFICIAL, code)


def customer(business_id: str = FESTIVAALI, given_name: str = "Maija") -> Actor:
    mandate = LocalMandateFactory.create(business_id=business_id, person__given_name=given_name)
    return actor_of(mandate.person, ActorKind.CUSTOMER, business_id)


def actor_of(person: Person, kind: ActorKind, on_behalf_of: str) -> Actor:
    return Actor(
        kind=kind, ref=f"person:{person.pk}", label=person.full_name, on_behalf_of=on_behalf_of
    )


@dataclass
class EventProject:
    project: Project
    rescue_plan: Application
    police_notice: Application


def event_catalogue() -> None:
    MunicipalityFactory.create()
    vocabulary()
    AuthorityFactory.create(
        code=RESCUE, name_fi="Helsingin pelastuslaitos", kind=AuthorityKind.RESCUE
    )
    AuthorityFactory.create(
        code=POLICE, name_fi="Helsingin poliisilaitos", kind=AuthorityKind.POLICE
    )
    ServiceFactory.create(
        code="event-rescue-plan",
        name_fi="Pelastussuunnitelma",
        name_en="Rescue plan",
        kind=ServiceKind.PLAN,
        authority_kind=AuthorityKind.RESCUE,
        processing_time_days=14,
    )
    ServiceFactory.create(
        code="public-event-notification",
        name_fi="Yleisötilaisuusilmoitus",
        name_en="Public event notification",
        kind=ServiceKind.NOTIFICATION,
        authority_kind=AuthorityKind.POLICE,
        joining_mode=JoiningMode.REDIRECT,
        redirect_url="https://poliisi.example.invalid/ilmoitus",
    )


def event_project(business_id: str = FESTIVAALI, *, submit: bool = True) -> EventProject:
    """The festival project; the rescue plan submitted with its site map, the customer sent on
    to the police's e-service."""
    if not Project.objects.exists():
        event_catalogue()
    from luvat.catalogue.models import Service

    maija = Actor(kind=ActorKind.CUSTOMER, ref="person:0", label="Maija", on_behalf_of=business_id)
    project = project_create(
        actor=maija,
        business_id=business_id,
        company_name="Festivaali Oy",
        name="Kesäfestivaali",
        services=list(
            Service.objects.filter(code__in=["event-rescue-plan", "public-event-notification"])
        ),
        shared_data={"site_municipality": "091", "contact_email": "maija@example.invalid"},
    )
    rescue = project.applications.get(service__code="event-rescue-plan")
    police = project.applications.get(service__code="public-event-notification")
    if submit:
        application_save_form(
            application=rescue,
            data={
                "organiser_email": "maija@example.invalid",
                "event_name": "Kesäfestivaali",
                "attendance": 3000,
                "venue_kind": "outdoor",
            },
            actor=maija,
        )
        attachment_add(
            application=rescue, code="site_map", upload=pdf("alueen-kartta.pdf"), actor=maija
        )
        application_submit(application=rescue, actor=maija)
        application_redirect_record(application=police, actor=maija)
    rescue.refresh_from_db()
    police.refresh_from_db()
    return EventProject(project=project, rescue_plan=rescue, police_notice=police)


__all__ = ["LocalMandate", "OfficialRole"]
