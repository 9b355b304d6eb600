"""Sessions: idle timeout, log-out, log out everywhere; brute-force protection of the admin."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client

from luvat.audit.models import AuditEvent
from luvat.identity.models import UserSession
from tests.identity.factories import LocalMandateFactory
from tests.identity.helpers import login_test_idp

pytestmark = pytest.mark.django_db


def test_sessions_time_out_when_idle_and_end_with_the_browser():
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST is True
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    assert settings.SESSION_COOKIE_HTTPONLY is True


def test_log_out_needs_post_and_ends_the_session():
    person = LocalMandateFactory.create().person
    client = Client()
    login_test_idp(client, person)
    assert client.get("/fi/logout/").status_code == 405
    response = client.post("/fi/logout/")
    assert response["Location"] == "/fi/logged-out/"
    assert client.get("/fi/account/").status_code == 302


def test_log_out_everywhere_ends_every_session_of_the_person():
    person = LocalMandateFactory.create().person
    laptop, phone = Client(), Client()
    login_test_idp(laptop, person)
    login_test_idp(phone, person)
    assert UserSession.objects.filter(user=person.user).count() == 2
    assert laptop.post("/en/logout/everywhere/")["Location"] == "/en/logged-out/"
    assert phone.get("/en/account/").status_code == 302  # the other device is logged out too
    assert not UserSession.objects.exists()
    assert AuditEvent.objects.get(action="person.logout_everywhere").details == {"sessions": 2}


@pytest.fixture
def admin_user():
    return get_user_model().objects.create_superuser(
        "root", "root@example.invalid", "Correct-Horse-9"
    )


def admin_login(client: Client, password: str):
    return client.post(
        "/en/admin/login/?next=/en/admin/", {"username": "root", "password": password}
    )


def test_admin_password_log_in_works(admin_user):
    client = Client()
    assert admin_login(client, "Correct-Horse-9")["Location"] == "/en/admin/"


def test_admin_log_in_is_locked_after_repeated_failures(admin_user, settings):
    settings.LUVAT_LOGIN_MAX_FAILURES = 3
    client = Client()
    for _ in range(3):
        assert admin_login(client, "wrong").status_code == 200
    locked = admin_login(client, "Correct-Horse-9")
    assert locked.status_code == 200
    assert "Too many failed attempts" in locked.content.decode()
    # Another address is locked for this user name too (the user name counts by itself).
    other = Client(REMOTE_ADDR="192.0.2.77")
    assert "Too many failed attempts" in admin_login(other, "Correct-Horse-9").content.decode()


def test_administrator_registers_an_official_before_their_first_log_in(admin_user):
    from luvat.identity.identities import VerifiedIdentity
    from luvat.identity.models import LoginMethod, OfficialRole, Person
    from luvat.identity.services import person_login

    client = Client()
    client.force_login(admin_user)
    response = client.post(
        "/en/admin/identity/person/add/",
        {
            "given_name": "Kaisa",
            "family_name": "Kunta",
            "email": "kaisa@example.invalid",
            "home_organisation": "",
            "national_id": "010280-952L",
            "official_roles-TOTAL_FORMS": "1",
            "official_roles-INITIAL_FORMS": "0",
            "official_roles-0-authority_code": "HKI-ENV",
            "official_roles-0-service_codes": "[]",
            "official_roles-0-source": "admin",
            "local_mandates-TOTAL_FORMS": "0",
            "local_mandates-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    registered = Person.objects.get(family_name="Kunta")
    assert "010280-952L" not in str(Person.objects.filter(pk=registered.pk).values().get())
    # Searching by the identity code finds the person through the digest.
    found = client.get("/en/admin/identity/person/?q=010280-952L").content.decode()
    assert "Kaisa Kunta" in found
    # At the first strong log-in the person is recognised and has the role.
    person = person_login(
        identity=VerifiedIdentity(
            method=LoginMethod.SUOMIFI, national_id="010280-952L", family_name="Kunta"
        )
    )
    assert person.pk == registered.pk
    assert list(
        OfficialRole.objects.filter(person=person).values_list("authority_code", flat=True)
    ) == ["HKI-ENV"]


def test_invalid_identity_code_in_the_admin_is_explained(admin_user):
    client = Client()
    client.force_login(admin_user)
    response = client.post(
        "/en/admin/identity/person/add/",
        {
            "given_name": "X",
            "family_name": "Y",
            "national_id": "010280-9520",
            "official_roles-TOTAL_FORMS": "0",
            "official_roles-INITIAL_FORMS": "0",
            "local_mandates-TOTAL_FORMS": "0",
            "local_mandates-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "This is not a valid personal identity code." in response.content.decode()
