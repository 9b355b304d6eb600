from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Attachments go to a per-test folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def vocab(db):
    from tests.projects.factories import MunicipalityFactory, vocabulary

    MunicipalityFactory.create()
    MunicipalityFactory.create(code="837", name_fi="Tampere", name_sv="Tammerfors")
    return vocabulary()
