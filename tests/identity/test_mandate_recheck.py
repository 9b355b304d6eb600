"""Mandates are cached for reading and re-checked at the source before every write."""

from __future__ import annotations

import pytest
from django.test import Client

from luvat.audit.actors import Actor
from luvat.audit.models import AccessEvent
from luvat.identity.services import mandate_revoke
from tests.identity.factories import FESTIVAALI, LocalMandateFactory, PersonFactory
from tests.identity.helpers import act_for_company, login_test_idp

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.identity.write_urls")]


def test_write_succeeds_with_a_valid_mandate():
    mandate = LocalMandateFactory.create()
    client = Client()
    act_for_company(client, mandate.person, FESTIVAALI)
    response = client.post("/test/save/")
    assert response.content.decode() == f"saved for {FESTIVAALI}"


def test_revoked_mandate_takes_effect_on_the_next_write_despite_the_cache(settings):
    settings.LUVAT_MANDATE_CACHE_SECONDS = 3600
    mandate = LocalMandateFactory.create()
    client = Client()
    act_for_company(client, mandate.person, FESTIVAALI)
    mandate_revoke(mandate=mandate, actor=Actor.system("test"))

    response = client.post("/test/save/")

    assert response.status_code == 403
    assert "ei ole enää voimassa" in response.content.decode()  # the default language
    assert "luvat.acting" not in client.session
    assert AccessEvent.objects.filter(subject_business_id=FESTIVAALI, outcome="denied").exists()
    # Having lost the company, the person is sent back to choose one.
    assert client.get("/test/read/")["Location"] == "/fi/account/choose/"


def test_reads_use_the_cached_list_until_it_expires(settings):
    settings.LUVAT_MANDATE_CACHE_SECONDS = 3600
    mandate = LocalMandateFactory.create()
    LocalMandateFactory.create(person=mandate.person, business_id="2718282-8")
    client = Client()
    act_for_company(client, mandate.person, FESTIVAALI)
    mandate_revoke(mandate=mandate, actor=Actor.system("test"))
    # The company choice page shows the cached list (within the cache time)...
    assert FESTIVAALI in client.get("/fi/account/choose/").content.decode()
    settings.LUVAT_MANDATE_CACHE_SECONDS = 0
    # ...and the fresh one once it has expired.
    assert FESTIVAALI not in client.get("/fi/account/choose/").content.decode()


def test_customer_without_a_chosen_company_is_sent_to_choose_one():
    person = PersonFactory.create()
    LocalMandateFactory.create(person=person)
    client = Client()
    login_test_idp(client, person)
    assert client.post("/test/save/")["Location"] == "/fi/account/choose/"


def test_anonymous_write_goes_to_log_in():
    response = Client().post("/test/save/")
    assert response.status_code == 302
    assert response["Location"].startswith("/fi/login/?next=")
