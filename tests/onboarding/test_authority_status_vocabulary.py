"""An authority's administrator declares its own statuses on the onboarding pages; its
officials read them; another authority's administrator is refused."""

from __future__ import annotations

import pytest

from luvat.catalogue.models import AuthorityStatus
from tests.onboarding.factories import (
    authority_admin,
    environment_authority,
    joining_with_service,
    official,
    official_client,
)

pytestmark = pytest.mark.django_db
URL = "/en/onboarding/HKI-ENV/statuses/"
STATUS = {
    "code": "neighbours-heard",
    "public_status": "in_processing",
    "label_fi": "Naapurien kuuleminen",
    "label_sv": "Hörande av grannar",
    "label_en": "Hearing of neighbours",
}


def test_the_authority_admin_declares_a_status_and_officials_see_it():
    joining_with_service(authority=environment_authority())
    admin = official_client(authority_admin(), "HKI-ENV")
    assert admin.post(URL, STATUS).status_code == 302
    declared = AuthorityStatus.objects.get(authority__code="HKI-ENV")
    assert (declared.code, declared.public_status, declared.label_en) == (
        "neighbours-heard",
        "in_processing",
        "Hearing of neighbours",
    )
    bad = admin.post(URL, {**STATUS, "code": "Not a code"})
    assert bad.status_code == 422 and b'aria-invalid="true"' in bad.content

    reader = official_client(official(), "HKI-ENV")
    page = reader.get(URL)
    assert page.status_code == 200 and "Hearing of neighbours" in page.content.decode()
    assert b"Save the status" not in page.content
    refused = reader.post(URL, {**STATUS, "code": "other"})
    assert refused.status_code in (403, 404)
    assert (
        "Naapurien kuuleminen"
        in official_client(official(), "HKI-ENV")
        .get("/fi/onboarding/HKI-ENV/statuses/")
        .content.decode()
    )


def test_another_authoritys_admin_is_refused():
    joining_with_service(authority=environment_authority())
    environment_authority("ESP-ENV")
    other = official_client(authority_admin("ESP-ENV"), "ESP-ENV")
    assert other.post(URL, STATUS).status_code in (403, 404)
    assert other.get(URL).status_code in (403, 404)
    assert not AuthorityStatus.objects.exists()
