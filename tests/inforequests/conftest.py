from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


from tests.projects.conftest import catalogue, event_assessment, shared_catalogue  # noqa: E402, F401
