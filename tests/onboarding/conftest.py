from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Evidence files go to a per-test folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def default_language():
    """Requests to /en/ pages activate English in this thread; leave the default behind."""
    yield
    from django.utils import translation

    translation.deactivate()
