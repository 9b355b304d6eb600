"""Done when: the application page's task list says where the customer is: the form and the
required attachments incomplete until filled in, the submission possible only after both."""

from __future__ import annotations

import pytest
from django.test import Client

from luvat.audit.actors import Actor, ActorKind
from luvat.projects.progress import TaskState
from luvat.projects.services import application_save_form, application_submit, attachment_add
from tests.backoffice.factories import event_project, pdf
from tests.identity.factories import FESTIVAALI, LocalMandateFactory
from tests.identity.helpers import act_for_company

pytestmark = pytest.mark.django_db

MAIJA = Actor(kind=ActorKind.CUSTOMER, ref="person:0", label="Maija", on_behalf_of=FESTIVAALI)
FORM = {
    "organiser_email": "maija@example.invalid",
    "event_name": "Kesäfestivaali",
    "attendance": 3000,
    "venue_kind": "outdoor",
}


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def states(client: Client, case) -> list[tuple[str, str]]:
    """The task list's (name, state) pairs as the page shows them."""
    response = client.get(
        f"/en/projects/{case.project.public_id}/applications/{case.rescue_plan.public_id}/"
    )
    assert response.status_code == 200
    return [(str(task.name), task.state) for task in response.context["tasks"]]


def test_tasks_follow_the_form_and_the_attachments_until_it_can_be_submitted() -> None:
    case = event_project(submit=False)
    client = Client()
    act_for_company(client, LocalMandateFactory.create(business_id=FESTIVAALI).person, FESTIVAALI)

    assert states(client, case) == [
        ("Fill in the details", TaskState.INCOMPLETE),
        ("Attach the documents", TaskState.INCOMPLETE),
        ("Submit the application", TaskState.CANNOT_START),
    ]
    application_save_form(application=case.rescue_plan, data=FORM, actor=MAIJA)
    assert states(client, case)[0] == ("Fill in the details", TaskState.COMPLETED)
    assert states(client, case)[2][1] == TaskState.CANNOT_START

    attachment_add(
        application=case.rescue_plan, code="site_map", upload=pdf("kartta.pdf"), actor=MAIJA
    )
    assert states(client, case) == [
        ("Fill in the details", TaskState.COMPLETED),
        ("Attach the documents", TaskState.COMPLETED),
        ("Submit the application", TaskState.INCOMPLETE),
    ]
    page = client.get(
        f"/en/projects/{case.project.public_id}/applications/{case.rescue_plan.public_id}/"
    ).content.decode()
    assert 'class="govuk-task-list"' in page and "Cannot start yet" not in page

    application_submit(application=case.rescue_plan, actor=MAIJA)
    case.rescue_plan.refresh_from_db()
    assert states(client, case)[2] == ("Submit the application", TaskState.SUBMITTED)
    page = client.get(
        f"/en/projects/{case.project.public_id}/applications/{case.rescue_plan.public_id}/"
    ).content.decode()
    assert 'class="govuk-task-list"' not in page  # a submitted application has nothing to do
