"""Shared-data rules beyond a value's type: an end date before its start is refused (with the
stored value of the other end), the register business ID stays the acting company's, and a
municipality is found by its code or its name as typed."""

from __future__ import annotations

import pytest

from luvat.projects.errors import InvalidSharedData
from luvat.projects.services import project_create, shared_data_set
from tests.projects.factories import BUSINESS_A, CUSTOMER_A


@pytest.fixture
def project(vocab):
    return project_create(
        actor=CUSTOMER_A, business_id=BUSINESS_A, company_name="Festivaali Oy", name="p"
    )


def test_end_before_start_is_refused_also_against_the_stored_start(project):
    with pytest.raises(InvalidSharedData) as refused:
        shared_data_set(
            project=project,
            values={"start_date": "2027-06-12", "end_date": "2027-06-11"},
            actor=CUSTOMER_A,
        )
    assert list(refused.value.errors) == ["end_date"]
    shared_data_set(project=project, values={"start_date": "2027-06-12"}, actor=CUSTOMER_A)
    with pytest.raises(InvalidSharedData):
        shared_data_set(project=project, values={"end_date": "2027-06-01"}, actor=CUSTOMER_A)
    assert shared_data_set(project=project, values={"end_date": "2027-06-12"}, actor=CUSTOMER_A)


def test_the_business_id_stays_the_acting_companys(project):
    with pytest.raises(InvalidSharedData) as refused:
        shared_data_set(project=project, values={"business_id": "2718282-8"}, actor=CUSTOMER_A)
    assert BUSINESS_A in refused.value.errors["business_id"][0]
    shared_data_set(project=project, values={"business_id": BUSINESS_A}, actor=CUSTOMER_A)


@pytest.mark.parametrize("typed", ["091", "91", "Helsinki", " helsingfors "])
def test_a_municipality_by_code_or_name(project, typed):
    shared_data_set(project=project, values={"site_municipality": typed}, actor=CUSTOMER_A)
    project.refresh_from_db()
    assert project.municipality_code == "091"


def test_an_unknown_municipality_names_both_ways_to_give_it(project):
    with pytest.raises(InvalidSharedData) as refused:
        shared_data_set(project=project, values={"site_municipality": "Atlantis"}, actor=CUSTOMER_A)
    assert "kirjoita sen nimi" in refused.value.errors["site_municipality"][0]


def test_only_a_change_of_the_fields_a_service_uses_is_a_change_for_its_authority(vocab):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from luvat.catalogue.models import JoiningMode
    from luvat.projects.selectors import project_summary
    from luvat.projects.services import application_save_form, application_submit, attachment_add
    from tests.projects.factories import AuthorityFactory, ServiceFactory
    from tests.samples import MINIMAL_PDF

    AuthorityFactory.create(code="HKI-POLICE")
    service = ServiceFactory.create(joining_mode=JoiningMode.API)
    project = project_create(actor=CUSTOMER_A, business_id=BUSINESS_A, name="p", services=[service])
    [application] = project.applications.all()
    data = {"organiser_email": "a@example.fi", "event_name": "F", "attendance": 1}
    data["venue_kind"] = "indoor"
    application_save_form(application=application, data=data, actor=CUSTOMER_A)
    upload = SimpleUploadedFile("a.pdf", MINIMAL_PDF)
    attachment_add(application=application, code="site_map", upload=upload, actor=CUSTOMER_A)
    application_submit(application=application, actor=CUSTOMER_A)

    # Another form's shared field, added after the submission: not this authority's concern.
    shared_data_set(project=project, values={"contact_phone": "+358401234567"}, actor=CUSTOMER_A)
    assert project_summary(project=project).rows_with_changes == []

    shared_data_set(project=project, values={"start_date": "2027-06-12"}, actor=CUSTOMER_A)
    [row] = project_summary(project=project).rows_with_changes
    [change] = row.changed_shared_data
    shown = (change["label"], change["old_text"], change["new_text"])
    assert shown == ("Alkaa", "\u2013", "12.6.2027")
