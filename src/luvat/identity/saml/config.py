"""pysaml2 configuration of our service provider, one per identity provider (``suomifi``,
``virtu``), built from settings at call time so that tests can point it at a local IdP."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
from saml2.client import Saml2Client
from saml2.config import SPConfig
from saml2.saml import NAMEID_FORMAT_TRANSIENT
from saml2.xmldsig import DIGEST_SHA256, SIG_RSA_SHA256

ATTRIBUTE_MAPS = str(Path(__file__).resolve().parent / "attributemaps")
IDPS = ("suomifi", "virtu")

REQUIRED_ATTRIBUTES = {
    "suomifi": ["nationalIdentificationNumber"],
    "virtu": ["virtuLocalID", "virtuHomeOrganization", "sn"],
}
OPTIONAL_ATTRIBUTES = {
    "suomifi": [
        "givenName",
        "FirstName",
        "sn",
        "cn",
        "displayName",
        "mail",
        "KotikuntaKuntanumero",
        "TurvakieltoTieto",
    ],
    "virtu": ["givenName", "cn", "mail", "virtuPersonEntitlement", "o"],
}


class SamlNotConfigured(ImproperlyConfigured):
    pass


def xmlsec_binary() -> str | None:
    return shutil.which("xmlsec1")


def sp_urls(idp: str) -> dict[str, str]:
    base = f"{settings.LUVAT_PUBLIC_URL}/saml/{idp}"
    entity_id = settings.LUVAT_SAML_IDPS[idp]["entity_id"] or f"{base}/metadata/"
    return {
        "entity_id": entity_id,
        "acs": f"{base}/acs/",
        "sls": f"{base}/sls/",
        "metadata": f"{base}/metadata/",
    }


def configuration_problems(idp: str, *, need_idp_metadata: bool = True) -> list[str]:
    """What stops SAML log-in through ``idp`` from working, as one line each."""
    problems = []
    if xmlsec_binary() is None:
        problems.append("the xmlsec1 program is not installed (Debian package xmlsec1)")
    if not settings.LUVAT_PUBLIC_URL:
        problems.append("LUVAT_PUBLIC_URL is not set")
    for name in ("LUVAT_SAML_KEY_FILE", "LUVAT_SAML_CERT_FILE"):
        path = getattr(settings, name)
        if not path or not Path(path).is_file():
            problems.append(f"{name} does not name a readable file")
    metadata = settings.LUVAT_SAML_IDPS[idp]["metadata"]
    if need_idp_metadata and (not metadata or not Path(metadata).is_file()):
        problems.append(f"LUVAT_SAML_{idp.upper()}_IDP_METADATA does not name a readable file")
    return problems


def sp_config_dict(idp: str, *, with_idp_metadata: bool = True) -> dict[str, Any]:
    urls = sp_urls(idp)
    options = settings.LUVAT_SAML_IDPS[idp]
    sp: dict[str, Any] = {
        "name": "Luvat",
        "endpoints": {
            "assertion_consumer_service": [(urls["acs"], BINDING_HTTP_POST)],
            "single_logout_service": [(urls["sls"], BINDING_HTTP_REDIRECT)],
        },
        "authn_requests_signed": True,
        "logout_requests_signed": True,
        "logout_responses_signed": True,
        "want_assertions_signed": True,
        "want_response_signed": False,
        "want_assertions_or_response_signed": True,
        "allow_unsolicited": False,
        "name_id_format": NAMEID_FORMAT_TRANSIENT,
        "name_id_format_allow_create": False,
        "required_attributes": REQUIRED_ATTRIBUTES[idp],
        "optional_attributes": OPTIONAL_ATTRIBUTES[idp],
        "signing_algorithm": SIG_RSA_SHA256,
        "digest_algorithm": DIGEST_SHA256,
    }
    if options.get("loa"):
        sp["requested_authn_context"] = {
            "authn_context_class_ref": [options["loa"]],
            "comparison": "minimum",
        }
    config: dict[str, Any] = {
        "entityid": urls["entity_id"],
        "xmlsec_binary": xmlsec_binary(),
        "attribute_map_dir": ATTRIBUTE_MAPS,
        "allow_unknown_attributes": True,
        "key_file": settings.LUVAT_SAML_KEY_FILE,
        "cert_file": settings.LUVAT_SAML_CERT_FILE,
        "encryption_keypairs": [
            {"key_file": settings.LUVAT_SAML_KEY_FILE, "cert_file": settings.LUVAT_SAML_CERT_FILE}
        ],
        "service": {"sp": sp},
        "accepted_time_diff": 60,
        "metadata": {"local": [options["metadata"]]} if with_idp_metadata else {},
    }
    return config


def sp_config(idp: str, *, with_idp_metadata: bool = True) -> SPConfig:
    if idp not in IDPS:
        raise SamlNotConfigured(f"unknown identity provider {idp!r}")
    problems = configuration_problems(idp, need_idp_metadata=with_idp_metadata)
    if problems:
        raise SamlNotConfigured(
            f"SAML log-in through {idp} is not configured: " + "; ".join(problems)
        )
    config = SPConfig()
    config.load(sp_config_dict(idp, with_idp_metadata=with_idp_metadata))
    return config


def saml_client(idp: str) -> Saml2Client:
    return Saml2Client(config=sp_config(idp))


def idp_entity_id(client: Saml2Client) -> str:
    """The one identity provider in this client's metadata."""
    entity_ids = list(client.metadata.identity_providers())
    if len(entity_ids) != 1:
        raise SamlNotConfigured("the IdP metadata file must describe exactly one identity provider")
    return str(entity_ids[0])
