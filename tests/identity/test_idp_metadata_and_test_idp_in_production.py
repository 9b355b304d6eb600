"""`luvat check` reads the IdP's SAML metadata; the test IdP is never served in production."""

from __future__ import annotations

import base64
import datetime as dt
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from django.test import Client

from luvat.identity.checks import identity_settings
from tests.identity.factories import PersonFactory
from tests.identity.helpers import login_test_idp
from tests.test_luvat_check import run_luvat

ENTITY_ID = "https://idp.example/metadata"


def certificate_base64(*, not_before: dt.datetime, not_after: dt.datetime) -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "idp.example")])
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .sign(key, hashes.SHA256())
    )
    return base64.b64encode(certificate.public_bytes(serialization.Encoding.DER)).decode()


def metadata_xml(*, entity_id: str | None = ENTITY_ID, certificate: str | None, use: str) -> str:
    entity = f' entityID="{entity_id}"' if entity_id is not None else ""
    use_attribute = f' use="{use}"' if use else ""
    key = (
        f"""<md:KeyDescriptor{use_attribute}><ds:KeyInfo><ds:X509Data>
        <ds:X509Certificate>{certificate}</ds:X509Certificate>
      </ds:X509Data></ds:KeyInfo></md:KeyDescriptor>"""
        if certificate is not None
        else ""
    )
    return f"""<?xml version="1.0"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata"
    xmlns:ds="http://www.w3.org/2000/09/xmldsig#"{entity}>
  <md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    {key}
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"
        Location="https://idp.example/sso"/>
  </md:IDPSSODescriptor>
</md:EntityDescriptor>
"""


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def valid_certificate() -> str:
    return certificate_base64(
        not_before=now() - dt.timedelta(days=1), not_after=now() + dt.timedelta(days=365)
    )


def check_ids(settings, tmp_path: Path, xml: str) -> dict[str, str]:
    """Run the identity checks against this suomifi metadata: {check id: message}."""
    path = tmp_path / "idp-metadata.xml"
    path.write_text(xml)
    settings.LUVAT_LOGIN_BACKENDS = ["suomifi"]
    settings.LUVAT_SAML_IDPS = {
        **settings.LUVAT_SAML_IDPS,
        "suomifi": {**settings.LUVAT_SAML_IDPS["suomifi"], "metadata": str(path)},
    }
    return {
        message.id: message.msg
        for message in identity_settings()
        if message.id and message.id != "luvat.E104"  # key files, xmlsec1: not this test's
    }


def test_metadata_that_is_not_xml_is_refused(settings, tmp_path):
    found = check_ids(settings, tmp_path, "<html><body>Service unavailable</body")
    assert set(found) == {"luvat.E107"}
    assert "LUVAT_SAML_SUOMIFI_IDP_METADATA" in found["luvat.E107"]
    assert "not valid XML" in found["luvat.E107"]


def test_xml_that_is_not_saml_metadata_is_refused(settings, tmp_path):
    found = check_ids(settings, tmp_path, "<html><body>Service unavailable</body></html>")
    assert set(found) == {"luvat.E107"}
    assert "not SAML metadata" in found["luvat.E107"]


def test_metadata_with_a_dtd_entity_is_refused_not_expanded(settings, tmp_path):
    xml = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>'
    assert set(check_ids(settings, tmp_path, xml)) == {"luvat.E107"}


def test_metadata_without_entity_id_is_refused(settings, tmp_path):
    xml = metadata_xml(entity_id=None, certificate=valid_certificate(), use="signing")
    found = check_ids(settings, tmp_path, xml)
    assert set(found) == {"luvat.E108"}
    assert "no entityID" in found["luvat.E108"]


def test_metadata_without_a_signing_certificate_is_refused(settings, tmp_path):
    assert set(check_ids(settings, tmp_path, metadata_xml(certificate=None, use=""))) == {
        "luvat.E110"
    }
    encryption_only = metadata_xml(certificate=valid_certificate(), use="encryption")
    assert set(check_ids(settings, tmp_path, encryption_only)) == {"luvat.E110"}


def test_a_certificate_that_does_not_parse_is_refused(settings, tmp_path):
    broken = base64.b64encode(b"not a certificate").decode()
    found = check_ids(settings, tmp_path, metadata_xml(certificate=broken, use="signing"))
    assert set(found) == {"luvat.E111"}


def test_an_expired_signing_certificate_is_refused(settings, tmp_path):
    expired = certificate_base64(
        not_before=now() - dt.timedelta(days=400), not_after=now() - dt.timedelta(days=2)
    )
    found = check_ids(settings, tmp_path, metadata_xml(certificate=expired, use="signing"))
    assert set(found) == {"luvat.E112"}
    assert "expired on" in found["luvat.E112"]


def test_a_certificate_expiring_within_30_days_is_a_warning(settings, tmp_path):
    soon = certificate_base64(
        not_before=now() - dt.timedelta(days=300), not_after=now() + dt.timedelta(days=10)
    )
    found = check_ids(settings, tmp_path, metadata_xml(certificate=soon, use="signing"))
    assert set(found) == {"luvat.W103"}
    assert "within 30 days" in found["luvat.W103"]


@pytest.mark.parametrize("use", ["signing", ""])
def test_valid_metadata_passes(settings, tmp_path, use):
    xml = metadata_xml(certificate=valid_certificate(), use=use)
    assert check_ids(settings, tmp_path, xml) == {}


def test_luvat_check_reports_an_expired_idp_certificate(tmp_path):
    expired = certificate_base64(
        not_before=now() - dt.timedelta(days=400), not_after=now() - dt.timedelta(days=2)
    )
    path = tmp_path / "idp-metadata.xml"
    path.write_text(metadata_xml(certificate=expired, use="signing"))
    result = run_luvat(
        "check",
        tmp_path=tmp_path,
        LUVAT_LOGIN_BACKENDS="suomifi",
        LUVAT_SAML_SUOMIFI_IDP_METADATA=str(path),
    )
    assert result.returncode != 0
    assert "luvat.E112" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.django_db
def test_test_idp_answers_404_in_production_even_when_configured(settings):
    settings.PRODUCTION = True
    settings.LUVAT_LOGIN_BACKENDS = ["test", "suomifi"]
    client = Client()
    assert client.get("/en/login/test/").status_code == 404
    person = PersonFactory.create()
    assert client.post("/en/login/test/", {"person": person.pk}).status_code == 404
    assert "_auth_user_id" not in client.session
    login_page = client.get("/en/login/").content.decode()
    assert "/en/login/test/" not in login_page


@pytest.mark.django_db
def test_test_idp_works_in_development(settings):
    settings.PRODUCTION = False
    settings.LUVAT_LOGIN_BACKENDS = ["test"]
    client = Client()
    assert client.get("/en/login/test/").status_code == 200
    assert "/en/login/test/" in client.get("/en/login/").content.decode()
    person = PersonFactory.create()
    login_test_idp(client, person)
    assert client.session.get("_auth_user_id")
