"""Log-in attempts are limited per client address (LUVAT_RATE_LOGIN)."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.identity.factories import PersonFactory
from tests.ratelimit_asserts import assert_page_429

pytestmark = pytest.mark.django_db


@pytest.fixture
def low_rate(settings):
    settings.LUVAT_RATES = {**settings.LUVAT_RATES, "login": "2/d"}


def test_test_idp_log_ins_over_the_limit_get_a_page_and_other_addresses_do_not(low_rate):
    person = PersonFactory.create()
    client = Client()
    assert client.post("/fi/login/test/", {"person": person.pk}).status_code == 302
    assert client.post("/fi/login/test/", {"person": person.pk}).status_code == 302
    assert_page_429(client.post("/fi/login/test/", {"person": person.pk}), "Liian monta")
    assert client.get("/fi/login/test/").status_code == 200  # looking is not an attempt
    other = Client(REMOTE_ADDR="192.0.2.8")
    assert other.post("/fi/login/test/", {"person": person.pk}).status_code == 302


def test_admin_password_log_ins_are_limited_too(low_rate):
    client = Client()
    for _ in range(2):
        answer = client.post("/fi/admin/login/", {"username": "nobody", "password": "wrong"})
        assert answer.status_code == 200
    assert_page_429(
        client.post("/fi/admin/login/", {"username": "nobody", "password": "wrong"}), "Liian monta"
    )
