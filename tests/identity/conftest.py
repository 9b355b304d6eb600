"""Fixtures of the identity tests: settings for a local SAML IdP, demo-like people, API keys."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.identity.saml_idp import LocalIdp, make_key_pair

PUBLIC_URL = "https://luvat.test"


@pytest.fixture(scope="session")
def saml_keys(tmp_path_factory) -> dict[str, tuple[Path, Path]]:
    directory = tmp_path_factory.mktemp("saml-keys")
    return {name: make_key_pair(directory, name) for name in ("sp", "suomifi", "virtu", "rogue")}


@pytest.fixture
def saml_setup(settings, tmp_path, saml_keys):
    """Our SP configured against local Suomi.fi and Virtu IdPs; returns {idp name: LocalIdp}."""
    from django.test import Client

    settings.LUVAT_PUBLIC_URL = PUBLIC_URL
    settings.LUVAT_LOGIN_BACKENDS = ["suomifi", "virtu", "test"]
    settings.LUVAT_SAML_KEY_FILE = str(saml_keys["sp"][0])
    settings.LUVAT_SAML_CERT_FILE = str(saml_keys["sp"][1])
    idps = {name: LocalIdp(name, tmp_path, saml_keys[name]) for name in ("suomifi", "virtu")}
    settings.LUVAT_SAML_IDPS = {
        "suomifi": {
            "metadata": str(idps["suomifi"].metadata_path),
            "entity_id": "",
            "loa": "http://ftn.ficora.fi/2017/loa3",
        },
        "virtu": {"metadata": str(idps["virtu"].metadata_path), "entity_id": "", "loa": ""},
    }
    for name, idp in idps.items():
        response = Client().get(f"/saml/{name}/metadata/")
        assert response.status_code == 200, response.content
        idp.trust_sp(response.content.decode())
    return idps
