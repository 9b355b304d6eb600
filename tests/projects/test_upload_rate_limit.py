"""Uploads are limited per person (LUVAT_RATE_UPLOAD), on the pages and on the API alike."""

from __future__ import annotations

import pytest
from django.utils import translation

from luvat.projects.models import Application, Project
from tests.projects import test_project_pages as pages
from tests.projects.test_hostile_uploads import post_file, upload_url
from tests.ratelimit_asserts import assert_api_429, assert_page_429
from tests.samples import MINIMAL_PDF

customer = pages.customer
other_company = pages.other_company


@pytest.fixture
def low_rate(settings):
    settings.LUVAT_RATES = {**settings.LUVAT_RATES, "upload": "1/d"}


def api_url(project) -> str:
    application = project.applications.first()
    assert isinstance(application, Application)
    return f"/api/v1/projects/{project.public_id}/applications/{application.public_id}/attachments"


@pytest.mark.parametrize(
    ("language", "text"),
    [("fi", "Liian monta yritystä"), ("sv", "För många försök"), ("en", "Too many attempts")],
)
def test_uploads_over_the_limit_get_a_friendly_page_then_a_problem(
    customer, other_company, low_rate, language, text
):
    project = pages.create_project(customer)
    url = f"/{language}{upload_url(project)}"
    assert post_file(customer, url, "kartta.pdf", MINIMAL_PDF).status_code == 302
    with translation.override(language):
        assert_page_429(post_file(customer, url, "kartta.pdf", MINIMAL_PDF), text)
    assert_api_429(post_file(customer, api_url(project), "kartta.pdf", MINIMAL_PDF))
    Project.objects.filter(pk=project.pk).update(name="Ensimmäinen")
    theirs = pages.create_project(other_company)
    answer = post_file(other_company, api_url(theirs), "kartta.pdf", MINIMAL_PDF)
    assert answer.status_code == 201, answer.content[:300]
