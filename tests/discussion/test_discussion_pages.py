"""Discussion pages: the company and the project's authorities post and read; others are
refused; text is escaped with only http(s) links."""

from __future__ import annotations

import pytest
from django.test import Client

from luvat.discussion.models import Message, ReadMark
from tests.backoffice.factories import POLICE, RESCUE, event_project
from tests.identity.factories import FESTIVAALI, LocalMandateFactory, OfficialRoleFactory
from tests.identity.helpers import act_as_official, act_for_company

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def official_client(code):
    client = Client()
    act_as_official(client, OfficialRoleFactory.create(authority_code=code).person, code)
    return client


def test_customer_and_authority_talk_in_the_project_thread():
    case = event_project()
    maija = Client()
    act_for_company(maija, LocalMandateFactory.create(business_id=FESTIVAALI).person, FESTIVAALI)
    listing = maija.get(f"/fi/discussion/projects/{case.project.public_id}/").content.decode()
    assert "Yritys ja viranomaiset" in listing or "The company and the authorities" in listing
    room = case.project.discussion_room
    shared = room.threads.get(kind="customer")
    assert room.threads.filter(kind="application").count() == 2
    response = maija.post(
        f"/fi/discussion/threads/{shared.pk}/",
        {
            "body": "<script>x</script> katso https://example.invalid/kartta "
            "ja javascript:alert(1) @HKI-RESCUE"
        },
    )
    assert response.status_code == 302
    riikka = official_client(RESCUE)
    page = riikka.get(f"/fi/discussion/threads/{shared.pk}/").content.decode()
    assert "&lt;script&gt;" in page and "<script>x" not in page
    assert '<a href="https://example.invalid/kartta"' in page
    assert 'href="javascript' not in page
    assert Message.objects.get().mentioned_authorities == [RESCUE]
    assert ReadMark.objects.filter(thread=shared).count() == 2
    assert maija.post(f"/fi/discussion/threads/{shared.pk}/", {"body": " "}).status_code == 422


def test_threads_of_other_parties_are_refused():
    case = event_project()
    room_page = official_client(POLICE).get(f"/fi/discussion/projects/{case.project.public_id}/")
    assert room_page.status_code == 200
    room = case.project.discussion_room
    rescue_thread = room.threads.get(application=case.rescue_plan)
    authorities = room.threads.get(kind="authorities")
    assert (
        official_client(POLICE).get(f"/fi/discussion/threads/{rescue_thread.pk}/").status_code
        == 404
    )
    maija = Client()
    act_for_company(maija, LocalMandateFactory.create(business_id=FESTIVAALI).person, FESTIVAALI)
    assert maija.get(f"/fi/discussion/threads/{authorities.pk}/").status_code == 404
    tukes = official_client("TUKES")
    assert tukes.get(f"/fi/discussion/projects/{case.project.public_id}/").status_code == 404
    assert (
        tukes.post(f"/fi/discussion/threads/{authorities.pk}/", {"body": "hei"}).status_code == 404
    )
    assert not Message.objects.exists()
