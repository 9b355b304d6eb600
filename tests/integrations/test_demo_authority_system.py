"""The demo's API-joined rescue department: after `load-demo`, a submitted rescue plan goes to
the simulated case system and comes back through received and in processing to a decision,
over real HTTP both ways; the light services of the same project queue nothing."""

from __future__ import annotations

import socket

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from luvat.audit.actors import Actor, ActorKind
from luvat.catalogue.models import JoiningMode, Service
from luvat.integrations.delivery import deliver_round
from luvat.integrations.demo import DEMO_API_SERVICES, start_demo_simulator
from luvat.integrations.models import AuthorityEndpoint, InboundEvent, OutboxMessage
from luvat.notifications.models import NotificationEvent, NotificationKind
from luvat.projects.demo import DEMO_BUSINESS_ID, DEMO_PROJECT_NAME
from luvat.projects.models import Application, Project
from luvat.projects.services import application_save_form, application_submit, attachment_add
from luvat.projects.status import Status
from tests.integrations.test_authority_loop import wait_for_status
from tests.samples import MINIMAL_PDF

PDF = MINIMAL_PDF
CUSTOMER = Actor(
    kind=ActorKind.CUSTOMER, ref="person:demo", label="Maija", on_behalf_of=DEMO_BUSINESS_ID
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def submit(application: Application) -> None:
    application_save_form(
        application=application,
        data={
            "organiser": "Festivaali Oy",
            "event_name": "Kesäfestivaali",
            "venue": "Kaisaniemen puisto, Helsinki",
            "max_attendance": 3000,
            "safety_manager": "Maija Meikäläinen",
        },
        actor=CUSTOMER,
    )
    for code in ("rescue_plan", "site_map"):
        attachment_add(
            application=application,
            code=code,
            upload=SimpleUploadedFile(f"{code}.pdf", PDF, content_type="application/pdf"),
            actor=CUSTOMER,
        )
    application.refresh_from_db()
    application_submit(application=application, actor=CUSTOMER)


@pytest.mark.django_db(transaction=True)
def test_a_demo_rescue_plan_reaches_a_decision_through_the_simulator(
    live_server, settings, tmp_path
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.LUVAT_PUBLIC_URL = live_server.url
    settings.LUVAT_DEMO_SIMULATOR_PORT = free_port()
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert set(
        Service.objects.filter(code__in=DEMO_API_SERVICES).values_list("joining_mode", flat=True)
    ) == {JoiningMode.API}
    endpoint = AuthorityEndpoint.objects.get(authority_code="HKI-RESCUE")
    assert str(settings.LUVAT_DEMO_SIMULATOR_PORT) in endpoint.url

    project = Project.objects.get(business_id=DEMO_BUSINESS_ID, name=DEMO_PROJECT_NAME)
    application = project.applications.get(service__code="event-rescue-plan")
    assert application.authority is not None and application.authority.code == "HKI-RESCUE"
    submit(application)
    [message] = OutboxMessage.objects.all()  # the light services of the project queue nothing
    assert message.application_id == application.pk

    running = start_demo_simulator(port=settings.LUVAT_DEMO_SIMULATOR_PORT, delays=(0.05, 0.1, 0.2))
    try:
        assert deliver_round() == {"delivered": 1}
        wait_for_status(application, Status.DECISION_MADE)
        assert running.simulator.ledger.snapshot()["event_failures"] == 0
    finally:
        running.stop()
    assert application.outcome == "granted"
    assert sorted(
        InboundEvent.objects.filter(application=application).values_list("type", flat=True)
    ) == ["decision", "in_processing", "received"]
    decided = NotificationEvent.objects.filter(kind=NotificationKind.DECISION_MADE)
    assert [event.audience["business_ids"] for event in decided] == [[DEMO_BUSINESS_ID]]

    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert AuthorityEndpoint.objects.filter(authority_code="HKI-RESCUE").count() == 1
