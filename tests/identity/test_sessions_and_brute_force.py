"""Sessions: idle timeout, log-out, log out everywhere; brute-force protection of the admin."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from luvat.audit.models import AuditEvent
from luvat.identity.models import UserSession
from luvat.web.sessions import REFRESH_SECONDS, SAVED_AT
from tests.identity.factories import LocalMandateFactory
from tests.identity.helpers import login_test_idp

pytestmark = pytest.mark.django_db


def test_sessions_time_out_when_idle_and_end_with_the_browser():
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    # luvat.web.sessions refreshes the expiry (at most once a minute) instead of Django's
    # save on every request.
    assert settings.SESSION_SAVE_EVERY_REQUEST is False
    assert "luvat.web.sessions.SessionMiddleware" in settings.MIDDLEWARE
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    assert settings.SESSION_COOKIE_HTTPONLY is True


def _stored(client: Client) -> Session:
    return Session.objects.get(session_key=client.cookies[settings.SESSION_COOKIE_NAME].value)


def _age_session(client: Client, seconds: int) -> None:
    """As if the session had last been saved ``seconds`` ago."""
    stored = _stored(client)
    data = stored.get_decoded()
    data[SAVED_AT] = int(time.time()) - seconds
    Session.objects.filter(pk=stored.pk).update(
        session_data=SessionStore().encode(data),
        expire_date=timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE - seconds),
    )


def test_a_request_within_a_minute_of_the_last_save_does_not_write_the_session():
    person = LocalMandateFactory.create().person
    client = Client()
    login_test_idp(client, person)
    client.get("/fi/account/")
    before = _stored(client)
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/fi/account/").status_code == 200
    assert not [q for q in queries if "django_session" in q["sql"] and "UPDATE" in q["sql"]]
    assert _stored(client).expire_date == before.expire_date


def test_a_request_after_a_minute_pushes_the_idle_expiry_forward():
    person = LocalMandateFactory.create().person
    client = Client()
    login_test_idp(client, person)
    _age_session(client, REFRESH_SECONDS + 5)
    aged = _stored(client).expire_date
    assert client.get("/fi/account/").status_code == 200
    refreshed = _stored(client).expire_date
    assert refreshed - aged >= timedelta(seconds=REFRESH_SECONDS)
    expected = timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE)
    assert abs((refreshed - expected).total_seconds()) < 10


def test_a_session_idle_longer_than_the_time_out_is_logged_out():
    person = LocalMandateFactory.create().person
    client = Client()
    login_test_idp(client, person)
    assert client.get("/fi/account/").status_code == 200
    _age_session(client, settings.SESSION_COOKIE_AGE + 1)  # expired a second ago
    assert client.get("/fi/account/").status_code == 302


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


def test_failures_for_one_administrator_do_not_lock_another(admin_user, settings):
    """Five bad passwords for admin A (from anywhere) leave admin B free, from another address."""
    from django.contrib.auth import get_user_model

    get_user_model().objects.create_superuser("second", "second@example.fi", "Other-Horse-7")
    settings.LUVAT_LOGIN_MAX_FAILURES = 5
    attacker = Client(REMOTE_ADDR="198.51.100.9")
    for _ in range(5):
        assert admin_login(attacker, "wrong").status_code == 200
    assert "Too many failed attempts" in admin_login(attacker, "Correct-Horse-9").content.decode()
    other = Client(REMOTE_ADDR="192.0.2.77")
    answer = other.post(
        "/en/admin/login/?next=/en/admin/", {"username": "second", "password": "Other-Horse-7"}
    )
    assert answer.status_code == 302 and answer["Location"] == "/en/admin/"


def test_many_failures_from_one_address_throttle_that_address_only(admin_user, settings):
    """Failures spread over many user names lock the address, not the accounts elsewhere."""
    settings.LUVAT_LOGIN_MAX_FAILURES = 5
    settings.LUVAT_LOGIN_MAX_FAILURES_PER_ADDRESS = 8
    attacker = Client(REMOTE_ADDR="198.51.100.9")
    for n in range(8):
        answer = attacker.post("/en/admin/login/", {"username": f"guess{n}", "password": "wrong"})
        assert "Too many failed attempts" not in answer.content.decode()
    # The address is now throttled, even for a right password of an untouched account …
    assert "Too many failed attempts" in admin_login(attacker, "Correct-Horse-9").content.decode()
    # … while the same account logs in from another address.
    assert admin_login(Client(REMOTE_ADDR="192.0.2.77"), "Correct-Horse-9").status_code == 302
