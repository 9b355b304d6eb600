"""The editing pages: an authority administrator proposes, a second one publishes."""

from django.test import Client

from luvat.catalogue.models import Authority, CatalogueVersion
from tests.identity.factories import OfficialRoleFactory
from tests.identity.helpers import act_as_official


def admin_of(code: str) -> Client:
    client = Client()
    role = OfficialRoleFactory.create(authority_code=code, is_authority_admin=True)
    act_as_official(client, role.person, code)
    return client


def test_an_authority_administrator_edits_and_a_second_one_publishes(catalogue):
    first, second = admin_of("TUKES"), admin_of("TUKES")
    assert "Propose a change" in first.get("/en/authorities/TUKES/").content.decode()
    form = first.get("/en/authorities/TUKES/edit/")
    assert form.status_code == 200 and "029 5052 000" in form.content.decode()
    values = {
        "phone": "029 5052 001",
        "email": "kirjaamo@tukes.fi",
        "visiting_address": "Opastinsilta 12 B, 00520 Helsinki",
        "postal_address": "PL 66, 00521 Helsinki",
        "website": "https://tukes.fi",
    }
    response = first.post("/en/authorities/TUKES/edit/", values)
    assert response.status_code == 302
    # The proposer sees nothing to review; the second administrator sees the difference.
    assert (
        "No changes wait for your review." in first.get("/en/authorities/changes/").content.decode()
    )
    page = second.get("/en/authorities/changes/").content.decode()
    assert "029 5052 000" in page and "029 5052 001" in page
    change_id = page.split('name="change" value="')[1].split('"')[0]
    response = second.post(
        "/en/authorities/changes/", {"change": change_id, "decision": "approve"}, follow=True
    )
    assert "Published as catalogue version 1." in response.content.decode()
    assert Authority.objects.get(code="TUKES").phone == "029 5052 001"
    versions = Client().get("/en/authorities/versions/").content.decode()
    assert "Version 1" in versions and "029 5052 001" in versions
    assert CatalogueVersion.objects.count() == 1


def test_invalid_values_are_shown_with_the_problem_and_not_saved(catalogue):
    client = admin_of("TUKES")
    response = client.post("/en/authorities/TUKES/edit/", {"email": "nope", "website": "x"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Enter a valid e-mail address." in page and "Enter an https:// address." in page
    assert Authority.objects.get(code="TUKES").email == "kirjaamo@tukes.fi"


def test_another_authoritys_entry_cannot_be_edited(catalogue):
    client = admin_of("TUKES")
    assert client.get("/en/authorities/TRAFICOM/edit/").status_code == 403
    assert client.post("/en/authorities/TRAFICOM/edit/", {"phone": "1"}).status_code == 403
    assert "Propose a change" not in client.get("/en/authorities/TRAFICOM/").content.decode()
    assert Client().get("/en/authorities/TUKES/edit/").status_code == 302  # to log-in
