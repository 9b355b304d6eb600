"""The test identity provider, the company choice and the no-mandate page."""

from __future__ import annotations

import pytest
from django.test import Client

from luvat.audit.models import AccessEvent, AuditEvent
from luvat.identity.models import LoginMethod
from tests.identity.factories import (
    FESTIVAALI,
    TERAS,
    LocalMandateFactory,
    OfficialRoleFactory,
    PersonFactory,
)
from tests.identity.helpers import act_for_company, login_test_idp

pytestmark = pytest.mark.django_db


def test_test_idp_is_marked_as_a_test_service_and_lists_demo_people():
    mandate = LocalMandateFactory.create(
        person__given_name="Maija", person__family_name="Meikäläinen"
    )
    OfficialRoleFactory.create(person__given_name="Pekka", authority_code="HKI-POLICE")
    page = Client().get("/en/login/test/").content.decode()
    assert "This is a test service." in page
    assert "Maija Meikäläinen" in page and mandate.company_name in page
    assert "official of HKI-POLICE" in page


def test_login_lands_on_the_company_choice_with_the_mandated_companies():
    person = PersonFactory.create()
    LocalMandateFactory.create(person=person, business_id=FESTIVAALI, company_name="Festivaali Oy")
    LocalMandateFactory.create(person=person, business_id=TERAS, company_name="Pohjolan Teräs Oy")
    client = Client()
    response = client.post("/en/login/test/", {"person": person.pk})
    assert response["Location"] == "/en/login/continue/"
    assert client.get("/en/login/continue/")["Location"] == "/en/account/choose/"
    page = client.get("/en/account/choose/").content.decode()
    assert "Festivaali Oy (3141593-8)" in page and "Pohjolan Teräs Oy (2718282-8)" in page
    person.refresh_from_db()
    assert person.last_login_method == LoginMethod.TEST


def test_choosing_a_company_names_it_from_the_register_and_is_audited():
    person = PersonFactory.create()
    LocalMandateFactory.create(person=person, business_id=FESTIVAALI, company_name="Old name")
    client = Client()
    act_for_company(client, person, "3141593 8")  # spacing is normalised
    assert client.session["luvat.acting"] == {
        "kind": "customer",
        "business_id": FESTIVAALI,
        "company_name": "Festivaali Oy",
    }
    assert AuditEvent.objects.filter(action="person.act_for_company", target_id=FESTIVAALI).exists()


def test_forged_company_choice_is_refused_and_logged():
    person = PersonFactory.create()
    LocalMandateFactory.create(person=person, business_id=FESTIVAALI)
    client = Client()
    login_test_idp(client, person)
    response = client.post("/en/account/choose/", {"business_id": TERAS})
    assert response.status_code == 403
    assert "You have no mandate to act for the company 2718282-8" in response.content.decode()
    assert "luvat.acting" not in client.session
    event = AccessEvent.objects.get(outcome="denied")
    assert (event.subject_business_id, event.purpose) == (TERAS, "identity:choose")


def test_invalid_business_id_gets_a_clear_message_in_the_users_language():
    person = PersonFactory.create()
    LocalMandateFactory.create(person=person)
    client = Client()
    login_test_idp(client, person)
    response = client.post("/fi/account/choose/", {"business_id": "1234567-8"})
    assert response.status_code == 400
    assert "ei ole kelvollinen Y-tunnus" in response.content.decode()


def test_person_without_mandates_sees_why_and_what_to_do():
    person = PersonFactory.create()
    client = Client()
    login_test_idp(client, person)
    response = client.get("/en/account/choose/")
    assert response.status_code == 403
    text = response.content.decode()
    assert "You have no mandate to act for any company" in text
    assert "Suomi.fi e-Authorizations" in text


def test_official_chooses_their_authority_but_not_another():
    role = OfficialRoleFactory.create(authority_code="TUKES")
    client = Client()
    login_test_idp(client, role.person)
    assert client.post("/en/account/choose/", {"authority_code": "LVV"}).status_code == 403
    assert client.post("/en/account/choose/", {"authority_code": "TUKES"}).status_code == 302
    assert client.session["luvat.acting"] == {
        "kind": "official",
        "authority_code": "TUKES",
        "authority_admin": False,
    }


def test_test_idp_is_absent_when_not_enabled(settings):
    settings.LUVAT_LOGIN_BACKENDS = ["suomifi"]
    assert Client().get("/en/login/test/").status_code == 404
    assert "Test identity provider" not in Client().get("/en/login/").content.decode()


def test_test_idp_post_needs_a_csrf_token():
    person = PersonFactory.create()
    client = Client(enforce_csrf_checks=True)
    assert client.post("/en/login/test/", {"person": person.pk}).status_code == 403


def test_test_idp_access_code_is_throttled(settings):
    settings.LUVAT_TEST_IDP_ACCESS_CODE = "open-sesame-2026"
    settings.LUVAT_LOGIN_MAX_FAILURES = 3
    person = PersonFactory.create()
    client = Client()
    for _ in range(3):
        response = client.post("/en/login/test/", {"person": person.pk, "access_code": "guess"})
        assert response.status_code == 400
        assert "The access code is wrong." in response.content.decode()
    locked = client.post(
        "/en/login/test/", {"person": person.pk, "access_code": "open-sesame-2026"}
    )
    assert locked.status_code == 400
    assert "Too many failed attempts" in locked.content.decode()
    assert "_auth_user_id" not in client.session


def test_test_idp_with_the_right_access_code_logs_in(settings):
    settings.LUVAT_TEST_IDP_ACCESS_CODE = "open-sesame-2026"
    person = PersonFactory.create()
    client = Client()
    response = client.post(
        "/en/login/test/", {"person": person.pk, "access_code": "open-sesame-2026"}
    )
    assert response.status_code == 302


def test_account_page_names_the_log_in_method_and_level_of_assurance():
    person = PersonFactory.create()
    LocalMandateFactory.create(person=person)
    client = Client()
    act_for_company(client, person, FESTIVAALI)
    page = client.get("/en/account/").content.decode()
    assert "Test identity provider" in page
    assert "test identification, no assurance (urn:oid:1.2.246.517.3002.110.999)" in page
    assert "Festivaali Oy (3141593-8)" in page


def test_test_idp_page_takes_a_fixed_number_of_queries(django_assert_max_num_queries):
    for _ in range(8):
        LocalMandateFactory.create()
        OfficialRoleFactory.create()
    client = Client()
    client.get("/en/login/test/")  # the session is created on the first request
    with django_assert_max_num_queries(3):  # the people, their roles, their mandates
        assert client.get("/en/login/test/").status_code == 200


def test_access_log_page_takes_a_fixed_number_of_queries(django_assert_max_num_queries):
    from luvat.audit.actors import Actor, ActorKind
    from luvat.audit.services import access_record

    person = PersonFactory.create()
    LocalMandateFactory.create(person=person)
    client = Client()
    act_for_company(client, person, FESTIVAALI)
    official = Actor(kind=ActorKind.OFFICIAL, ref="person:9", label="O", on_behalf_of="TUKES")
    for n in range(20):
        access_record(
            actor=official,
            object_type="project",
            object_id=n,
            purpose="t",
            subject_business_id=FESTIVAALI,
        )
    with django_assert_max_num_queries(9):  # session, person, log write and one read
        page = client.get("/en/account/access-log/")
    assert page.content.decode().count("<tr>") == 21
