"""The customer's access log reads as sentences: who, in which role, opened what; no internal
identifiers or view names."""

from __future__ import annotations

import pytest

from luvat.audit.actors import Actor, ActorKind
from luvat.audit.services import access_record
from luvat.projects.services import project_create
from tests.identity.factories import FESTIVAALI, LocalMandateFactory
from tests.identity.helpers import act_for_company
from tests.projects.factories import AuthorityFactory, ServiceFactory

pytestmark = pytest.mark.django_db


def test_an_official_reading_an_application_is_told_in_words(client):
    from tests.projects.factories import vocabulary

    vocabulary()
    AuthorityFactory.create(code="HKI-RESCUE", name_fi="Helsingin pelastuslaitos")
    service = ServiceFactory.create(code="rescue-plan", name_fi="Pelastussuunnitelma")
    customer = Actor(kind=ActorKind.CUSTOMER, ref="person:0", on_behalf_of=FESTIVAALI)
    project = project_create(actor=customer, business_id=FESTIVAALI, name="p", services=[service])
    application = project.applications.get()
    official = Actor(
        kind=ActorKind.OFFICIAL, ref="person:99", label="Pekka Palo", on_behalf_of="HKI-RESCUE"
    )
    access_record(
        actor=official,
        object_type="application",
        object_id=str(application.public_id),
        subject_business_id=FESTIVAALI,
        purpose="backoffice:application",
    )
    act_for_company(client, LocalMandateFactory.create(business_id=FESTIVAALI).person, FESTIVAALI)
    page = client.get("/fi/account/access-log/").content.decode()
    assert (
        "Pekka Palo (Helsingin pelastuslaitos), virkailija, avasi hakemuksenne "
        "”Pelastussuunnitelma”" in page
    )
    assert str(application.public_id) not in page
    assert "backoffice:application" not in page
