"""Officials limited to some services see only those services' discussion threads and message
attachments (the same handling scope as the inbox, ``identity.policy.handling_scope``); another
authority's official is refused object by object; every refusal is in the company's access
log. The discussion has no API of its own: its doors are the pages."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from luvat.audit.actors import Actor, ActorKind
from luvat.audit.models import AccessEvent
from luvat.discussion.models import MessageAttachment, Thread, ThreadKind
from luvat.discussion.rooms import room_for_project
from luvat.discussion.selectors import project_threads, rooms_for
from luvat.discussion.services import message_post
from luvat.identity.models import OfficialRole
from luvat.projects.models import Application, Project
from luvat.projects.status import Status
from tests.identity.factories import OfficialRoleFactory
from tests.identity.helpers import act_as_official
from tests.projects.factories import AuthorityFactory, ServiceFactory
from tests.samples import MINIMAL_PDF

pytestmark = pytest.mark.django_db

COMPANY = "1234567-1"
POLICE, RESCUE = "hki-police", "hki-rescue"
SERVICE_A, SERVICE_B = "public-event-notice", "noise-notice"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def world():
    """A project with two submitted applications to the police (services A and B) and one to
    the rescue department; a message with a file in the thread of B."""
    police, rescue = AuthorityFactory.create(code=POLICE), AuthorityFactory.create(code=RESCUE)
    project = Project.objects.create(business_id=COMPANY, name="Kesäfestivaali")
    applications = {}
    for n, (authority, code) in enumerate(
        [(police, SERVICE_A), (police, SERVICE_B), (rescue, "rescue-plan")], start=1
    ):
        applications[code] = Application.objects.create(
            project=project,
            service=ServiceFactory.create(code=code),
            authority=authority,
            status=Status.SUBMITTED,
            reference=f"{project.reference}-{n}",
        )
    room = room_for_project(project)
    threads = {
        code: Thread.objects.get(room=room, application=application)
        for code, application in applications.items()
    }
    customer = Actor(kind=ActorKind.CUSTOMER, ref="person:0", label="Maija", on_behalf_of=COMPANY)
    message = message_post(
        actor=customer,
        user_id=None,
        thread=threads[SERVICE_B],
        body="Melulaskelma liitteenä.",
        attachments=[SimpleUploadedFile("melu.pdf", MINIMAL_PDF, content_type="application/pdf")],
    )
    limited = OfficialRoleFactory.create(authority_code=POLICE, service_codes=[SERVICE_A])
    whole = OfficialRoleFactory.create(authority_code=POLICE)
    other = OfficialRoleFactory.create(authority_code=RESCUE, service_codes=["rescue-plan"])
    return {
        "project": project,
        "room": room,
        "threads": threads,
        "attachment": MessageAttachment.objects.get(message_id=message.pk),
        "limited": limited,
        "whole": whole,
        "other": other,
    }


def actor_of(role: OfficialRole) -> Actor:
    return Actor(
        kind=ActorKind.OFFICIAL,
        ref=f"person:{role.person_id}",
        label="Olli",
        on_behalf_of=role.authority_code,
    )


def client_of(role: OfficialRole) -> Client:
    client = Client()
    act_as_official(client, role.person, role.authority_code)
    return client


def visible(role: OfficialRole, world) -> list[str]:
    _room, summaries = project_threads(actor_of(role), project_id=world["project"].pk, user_id=None)
    return sorted(
        s.thread.application.service.code if s.thread.application else s.thread.kind
        for s in summaries
    )


def refusals(object_type: str, object_id: object) -> list[AccessEvent]:
    return list(
        AccessEvent.objects.filter(
            object_type=object_type, object_id=str(object_id), outcome="denied"
        )
    )


def test_an_official_limited_to_a_service_sees_only_its_thread_and_the_shared_ones(world):
    assert visible(world["limited"], world) == sorted(
        [SERVICE_A, ThreadKind.AUTHORITIES, ThreadKind.CUSTOMER]
    )
    assert visible(world["whole"], world) == sorted(
        [SERVICE_A, SERVICE_B, ThreadKind.AUTHORITIES, ThreadKind.CUSTOMER]
    )


def test_an_official_limited_to_services_the_project_lacks_is_no_party_to_it(world):
    stranger = OfficialRoleFactory.create(authority_code=POLICE, service_codes=["fireworks"])
    assert visible(stranger, world) == []
    assert rooms_for(actor_of(stranger)) == []
    assert rooms_for(actor_of(world["limited"])) == [world["room"]]


def test_the_other_services_thread_page_is_refused_and_logged(world):
    thread = world["threads"][SERVICE_B]
    client = client_of(world["limited"])
    assert client.get(f"/fi/discussion/threads/{thread.pk}/").status_code == 404
    [logged] = refusals("discussion_thread", thread.pk)
    assert logged.subject_business_id == COMPANY
    own = world["threads"][SERVICE_A]
    assert client.get(f"/fi/discussion/threads/{own.pk}/").status_code == 200


def test_posting_in_the_other_services_thread_is_refused(world):
    thread = world["threads"][SERVICE_B]
    client = client_of(world["limited"])
    response = client.post(f"/fi/discussion/threads/{thread.pk}/", {"body": "Hei"})
    assert response.status_code == 404
    assert thread.messages.count() == 1
    assert refusals("discussion_thread", thread.pk)


def test_the_other_services_attachment_is_refused_and_logged(world):
    attachment = world["attachment"]
    url = f"/fi/discussion/attachments/{attachment.pk}/"
    assert client_of(world["limited"]).get(url).status_code == 404
    [logged] = refusals("discussion_attachment", attachment.pk)
    assert logged.subject_business_id == COMPANY
    assert client_of(world["whole"]).get(url).status_code == 200


def test_another_authoritys_official_is_refused_each_object(world):
    client = client_of(world["other"])
    thread = world["threads"][SERVICE_A]
    assert client.get(f"/fi/discussion/threads/{thread.pk}/").status_code == 404
    assert refusals("discussion_thread", thread.pk)
    attachment = world["attachment"]
    assert client.get(f"/fi/discussion/attachments/{attachment.pk}/").status_code == 404
    assert refusals("discussion_attachment", attachment.pk)
    own = world["threads"]["rescue-plan"]
    assert client.get(f"/fi/discussion/threads/{own.pk}/").status_code == 200
