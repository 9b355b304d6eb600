"""A local SAML 2.0 identity provider for the tests, built on pysaml2's IdP side.

It speaks the real protocol with our service provider: it verifies the signature of our
AuthnRequest (HTTP-Redirect), answers with a signed (and by default encrypted) assertion for
HTTP-POST, and takes part in single logout. Keys and certificates are generated per test session.
"""

from __future__ import annotations

import base64
import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from saml2 import BINDING_HTTP_REDIRECT
from saml2.config import IdPConfig
from saml2.metadata import create_metadata_string
from saml2.saml import NAMEID_FORMAT_TRANSIENT, NameID
from saml2.server import Server
from saml2.xmldsig import DIGEST_SHA256, SIG_RSA_SHA256

from luvat.identity.saml.config import ATTRIBUTE_MAPS, xmlsec_binary

IDP_BASE = "https://idp.test"
LOA3 = "http://ftn.ficora.fi/2017/loa3"


def make_key_pair(directory: Path, name: str) -> tuple[Path, Path]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    key_path, cert_path = directory / f"{name}.key", directory / f"{name}.crt"
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.TraditionalOpenSSL,
            serialization.NoEncryption(),
        )
    )
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return key_path, cert_path


def idp_config(
    name: str, key: Path, cert: Path, sp_metadata: Path | None, lifetime: int
) -> IdPConfig:
    base = f"{IDP_BASE}/{name}"
    config = IdPConfig()
    config.load(
        {
            "entityid": f"{base}/metadata",
            "xmlsec_binary": xmlsec_binary(),
            "attribute_map_dir": ATTRIBUTE_MAPS,
            "key_file": str(key),
            "cert_file": str(cert),
            "service": {
                "idp": {
                    "endpoints": {
                        "single_sign_on_service": [(f"{base}/sso", BINDING_HTTP_REDIRECT)],
                        "single_logout_service": [(f"{base}/slo", BINDING_HTTP_REDIRECT)],
                    },
                    "want_authn_requests_signed": True,
                    "name_id_format": [NAMEID_FORMAT_TRANSIENT],
                    "policy": {"default": {"lifetime": {"minutes": lifetime}}},
                    "signing_algorithm": SIG_RSA_SHA256,
                    "digest_algorithm": DIGEST_SHA256,
                }
            },
            "metadata": {"local": [str(sp_metadata)]} if sp_metadata else {},
        }
    )
    return config


@dataclass
class Received:
    request_id: str
    acs_url: str
    sp_entity_id: str


class LocalIdp:
    """One identity provider (e.g. "suomifi"); ``metadata_path`` is what our SP is given."""

    def __init__(self, name: str, directory: Path, keys: tuple[Path, Path]) -> None:
        self.name = name
        self.directory = directory
        self.key, self.cert = keys
        self.metadata_path = directory / f"{name}-idp-metadata.xml"
        self.metadata_path.write_bytes(
            create_metadata_string(None, config=idp_config(name, self.key, self.cert, None, 5))
        )
        self.server: Server | None = None

    def trust_sp(self, sp_metadata_xml: str, *, lifetime: int = 5) -> None:
        path = self.directory / f"{self.name}-sp-metadata.xml"
        path.write_text(sp_metadata_xml)
        self.server = Server(config=idp_config(self.name, self.key, self.cert, path, lifetime))

    # -- single sign-on ------------------------------------------------------------------------

    def receive_authn_request(self, location: str) -> Received:
        assert self.server is not None, "call trust_sp first"
        query = {k: v[0] for k, v in parse_qs(urlparse(location).query).items()}
        parsed = self.server.parse_authn_request(
            query["SAMLRequest"],
            BINDING_HTTP_REDIRECT,
            relay_state=query.get("RelayState"),
            sigalg=query.get("SigAlg"),
            signature=query.get("Signature"),
        )
        message = parsed.message
        return Received(
            request_id=message.id,
            acs_url=message.assertion_consumer_service_url,
            sp_entity_id=message.issuer.text,
        )

    def response(
        self,
        received: Received,
        attributes: dict[str, Any],
        *,
        loa: str = LOA3,
        sign_assertion: bool = True,
        encrypt: bool = True,
        name_id: str = "transient-1234",
    ) -> str:
        """A base64 SAMLResponse for the HTTP-POST binding."""
        assert self.server is not None
        sp_cert = None
        if encrypt:
            certs = self.server.metadata.certs(received.sp_entity_id, "spsso", "encryption")
            sp_cert = certs[0][1]
        response = self.server.create_authn_response(
            identity=attributes,
            in_response_to=received.request_id,
            destination=received.acs_url,
            sp_entity_id=received.sp_entity_id,
            name_id=NameID(format=NAMEID_FORMAT_TRANSIENT, text=name_id),
            authn={"class_ref": loa, "authn_auth": f"{IDP_BASE}/{self.name}"},
            sign_assertion=sign_assertion,
            sign_response=False,
            encrypt_assertion=encrypt,
            encrypt_assertion_self_contained=True,
            encrypt_cert_assertion=sp_cert,
            sign_alg=SIG_RSA_SHA256,
            digest_alg=DIGEST_SHA256,
            session_not_on_or_after=None,
        )
        return base64.b64encode(str(response).encode()).decode()

    # -- single logout ----------------------------------------------------------------------------

    def receive_logout_request(self, location: str) -> Any:
        assert self.server is not None
        query = {k: v[0] for k, v in parse_qs(urlparse(location).query).items()}
        assert "Signature" in query and "SigAlg" in query, "logout requests must be signed"
        return self.server.parse_logout_request(
            query["SAMLRequest"],
            BINDING_HTTP_REDIRECT,
            relay_state=query.get("RelayState"),
            sigalg=query.get("SigAlg"),
            signature=query.get("Signature"),
        )

    def logout_response_location(
        self, logout_request: Any, sls_url: str, *, sign: bool = True
    ) -> str:
        assert self.server is not None
        response = self.server.create_logout_response(
            logout_request.message, [BINDING_HTTP_REDIRECT], sign=False
        )
        info = self.server.apply_binding(
            BINDING_HTTP_REDIRECT,
            str(response),
            sls_url,
            response=True,
            sign=sign,
            sigalg=SIG_RSA_SHA256,
        )
        return str(dict(info["headers"])["Location"])

    def logout_request_location(self, sp_entity_id: str, sls_url: str, name_id: str) -> str:
        assert self.server is not None
        _, request = self.server.create_logout_request(
            sls_url,
            self.server.config.entityid,
            name_id=NameID(format=NAMEID_FORMAT_TRANSIENT, text=name_id),
        )
        info = self.server.apply_binding(
            BINDING_HTTP_REDIRECT, str(request), sls_url, sign=True, sigalg=SIG_RSA_SHA256
        )
        return str(dict(info["headers"])["Location"])


def suomifi_attributes(
    national_id: str = "010280-952L", given: str = "Nordea", family: str = "Demo", ban: bool = False
) -> dict[str, list[str]]:
    return {
        "nationalIdentificationNumber": [national_id],
        "givenName": [given],
        "FirstName": [given],
        "sn": [family],
        "cn": [f"{family} {given}"],
        "displayName": [f"{given} {family}"],
        "KotikuntaKuntanumero": ["091"],
        "TurvakieltoTieto": ["true" if ban else "false"],
    }


def virtu_attributes(entitlements: list[str]) -> dict[str, list[str]]:
    return {
        "virtuLocalID": ["olli.virkamies"],
        "virtuHomeOrganization": ["tukes.fi"],
        "givenName": ["Olli"],
        "sn": ["Virkamies"],
        "mail": ["olli.virkamies@tukes.example"],
        "o": ["Turvallisuus- ja kemikaalivirasto"],
        "virtuPersonEntitlement": entitlements,
    }
