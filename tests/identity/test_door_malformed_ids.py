"""The door's refusal log looks up whose object a URL names; a malformed id names no one's
object and must give the refusal, never a server error (found by schemathesis: a customer's
POST without a CSRF token to a URL whose id was ``null,null``)."""

from __future__ import annotations

import pytest
from django.test import Client

from luvat.audit.models import AccessEvent
from tests.identity.factories import FESTIVAALI, LocalMandateFactory
from tests.identity.helpers import act_for_company

pytestmark = pytest.mark.django_db

MALFORMED = "null,null"
# Fixed ids: test ids must be the same in every xdist worker's collection.
NOBODYS = "6f1d2c3e-0000-4000-8000-000000000001"


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("post", f"/api/v1/projects/{MALFORMED}/applications"),
        ("post", f"/api/v1/inforequests/{MALFORMED}/answers/{NOBODYS}/application"),
        ("get", f"/api/v1/projects/{MALFORMED}"),
        ("get", f"/api/v1/inforequests/{MALFORMED}"),
        ("get", f"/api/v1/projects/{NOBODYS}/applications/{MALFORMED}"),
        ("delete", f"/api/v1/projects/{NOBODYS}/applications/{MALFORMED}"),
        ("post", f"/api/v1/projects/{NOBODYS}/applications/{MALFORMED}/attachments"),
    ],
)
def test_a_refused_request_with_a_malformed_id_is_refused_not_a_server_error(
    method: str, path: str
) -> None:
    mandate = LocalMandateFactory.create(business_id=FESTIVAALI)
    logged_in = Client()
    act_for_company(logged_in, mandate.person, FESTIVAALI)
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    client.cookies = logged_in.cookies  # the session, without a CSRF token
    denied_before = AccessEvent.objects.filter(outcome="denied").count()
    if method == "post":
        response = client.post(path, data="{}", content_type="application/json")
    else:
        response = getattr(client, method)(path)
    assert 400 <= response.status_code < 500, response.content
    if method == "post":  # refused by the CSRF check before any view: the door logs it
        assert AccessEvent.objects.filter(outcome="denied").count() == denied_before + 1
