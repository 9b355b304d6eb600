"""Logging in through the real pages (test identity provider, company choice)."""

from __future__ import annotations

from django.test import Client

from luvat.identity.models import Person


def login_test_idp(client: Client, person: Person) -> None:
    response = client.post("/fi/login/test/", {"person": person.pk})
    assert response.status_code == 302, response.content
    assert client.get(response["Location"]).status_code == 302  # continue → choose


def act_for_company(client: Client, person: Person, business_id: str) -> None:
    login_test_idp(client, person)
    response = client.post("/fi/account/choose/", {"business_id": business_id})
    assert response.status_code == 302, response.content


def act_as_official(client: Client, person: Person, authority_code: str) -> None:
    login_test_idp(client, person)
    response = client.post("/fi/account/choose/", {"authority_code": authority_code})
    assert response.status_code == 302, response.content


def act_as_administrator(client: Client, person: Person) -> None:
    login_test_idp(client, person)
    response = client.post("/fi/account/choose/", {"administrator": "on"})
    assert response.status_code == 302, response.content
