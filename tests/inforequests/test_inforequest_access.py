"""Per-object authorisation: another company and an authority not asked answer as if the
inforequest did not exist (404, access-logged), on the pages and in the services."""

from __future__ import annotations

import pytest
from django.test import Client

from luvat.audit.models import AccessEvent
from luvat.catalogue.models import Service
from luvat.identity.policy import Hidden
from luvat.inforequests.selectors import addressees_for_authority, inforequest_for
from luvat.inforequests.services import inforequest_answer, inforequest_convert
from tests.backoffice.factories import RESCUE, customer, official
from tests.identity.factories import TERAS, LocalMandateFactory, OfficialRoleFactory
from tests.identity.helpers import act_as_official, act_for_company
from tests.inforequests.factories import planned_festival
from tests.projects.factories import AuthorityFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def asked():
    planned = planned_festival()
    return planned, planned.ask()


def test_another_company_cannot_see_or_convert_it(asked):
    planned, inforequest = asked
    teras = customer(TERAS, "Tero")
    with pytest.raises(Hidden):
        inforequest_for(teras, inforequest.public_id, purpose="test")
    part = inforequest.addressees.get(authority__code=RESCUE)
    inforequest_answer(addressee=part, answer="Kyllä.", actor=planned.rescue)
    with pytest.raises(Hidden):
        inforequest_convert(
            addressee=part,
            service=Service.objects.get(code="event-rescue-plan"),
            actor=teras,
        )
    assert AccessEvent.objects.filter(
        object_type="inforequest", object_id=str(inforequest.public_id), outcome="denied"
    ).exists()


def test_an_authority_not_asked_cannot_see_or_answer_it(asked):
    _planned, inforequest = asked
    AuthorityFactory.create(code="HKI-ENV", name_fi="Ympäristöpalvelut")
    stranger = official("HKI-ENV", "Eeva")
    with pytest.raises(Hidden):
        inforequest_for(stranger, inforequest.public_id, purpose="test")
    with pytest.raises(Hidden):
        inforequest_answer(
            addressee=inforequest.addressees.get(authority__code=RESCUE),
            answer="Ei kuulu meille",
            actor=stranger,
        )
    assert addressees_for_authority(stranger) == []


def test_an_official_limited_to_other_services_does_not_see_it(asked):
    planned, inforequest = asked
    from luvat.identity.models import OfficialRole

    OfficialRole.objects.filter(authority_code=RESCUE).update(service_codes=["fireworks"])
    with pytest.raises(Hidden):
        inforequest_for(planned.rescue, inforequest.public_id, purpose="test")
    assert addressees_for_authority(planned.rescue) == []


def test_pages_answer_404_to_another_company_and_another_authority(asked, client):
    _planned, inforequest = asked
    url = f"/fi/inforequests/{inforequest.public_id}/"
    teras = LocalMandateFactory.create(business_id=TERAS).person
    act_for_company(client, teras, TERAS)
    assert client.get(url).status_code == 404
    part = inforequest.addressees.get(authority__code=RESCUE)
    convert_url = f"{url}answers/{part.public_id}/apply/"
    assert client.post(convert_url, {"service": "event-rescue-plan"}).status_code == 404
    AuthorityFactory.create(code="HKI-ENV", name_fi="Ympäristöpalvelut")
    other = Client()
    act_as_official(other, OfficialRoleFactory.create(authority_code="HKI-ENV").person, "HKI-ENV")
    assert other.get(url).status_code == 404
    answer_url = f"{url}answers/{part.public_id}/"
    assert other.post(answer_url, {"answer": "x"}).status_code == 404
    part.refresh_from_db()
    assert part.answer == ""
