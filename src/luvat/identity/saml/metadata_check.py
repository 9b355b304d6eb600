"""Is an identity provider's SAML metadata file usable? Checked by ``luvat check``.

The file is parsed with pysaml2's own metadata classes (which parse through defusedxml), so
the check sees the file the way log-in will; the signing certificates are read with
``cryptography``.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import ParseError

from cryptography import x509
from saml2 import md

EXPIRY_WARNING = dt.timedelta(days=30)


@dataclass(frozen=True)
class MetadataProblem:
    """One finding: ``code`` is the check id suffix (e.g. ``E107``); warnings start with W."""

    code: str
    message: str

    @property
    def is_warning(self) -> bool:
        return self.code.startswith("W")


def _entity_descriptors(xml: bytes) -> list[Any] | None:
    """The EntityDescriptors of the document, or None when its root is neither kind."""
    entity = md.entity_descriptor_from_string(xml)
    if entity is not None:
        return [entity]
    entities = md.entities_descriptor_from_string(xml)
    if entities is not None:
        return list(entities.entity_descriptor)
    return None


def _signing_certificates(idp_descriptor: Any) -> list[str]:
    """Base64 texts of the certificates usable for signing (use="signing" or no use)."""
    texts = []
    for key_descriptor in idp_descriptor.key_descriptor:
        if key_descriptor.use not in (None, "", "signing"):
            continue
        key_info = key_descriptor.key_info
        for x509_data in key_info.x509_data if key_info is not None else []:
            certificate = x509_data.x509_certificate
            if certificate is not None and certificate.text:
                texts.append(certificate.text)
    return texts


def _certificate_problems(text: str, now: dt.datetime) -> list[MetadataProblem]:
    try:
        der = base64.b64decode("".join(text.split()), validate=True)
        certificate = x509.load_der_x509_certificate(der)
    except (binascii.Error, ValueError) as error:
        return [MetadataProblem("E111", f"a signing certificate does not parse ({error})")]
    subject = certificate.subject.rfc4514_string() or "(no subject)"
    not_after = certificate.not_valid_after_utc
    not_before = certificate.not_valid_before_utc
    if not_after <= now:
        return [
            MetadataProblem(
                "E112", f"the signing certificate {subject} expired on {not_after:%Y-%m-%d}"
            )
        ]
    if not_before > now:
        return [
            MetadataProblem(
                "E112",
                f"the signing certificate {subject} is not valid before {not_before:%Y-%m-%d}",
            )
        ]
    if not_after - now < EXPIRY_WARNING:
        return [
            MetadataProblem(
                "W103",
                f"the signing certificate {subject} expires on {not_after:%Y-%m-%d}, "
                f"within {EXPIRY_WARNING.days} days",
            )
        ]
    return []


def metadata_problems(path: str | Path, *, now: dt.datetime | None = None) -> list[MetadataProblem]:
    """What is wrong with the IdP metadata file at ``path``; empty when it is usable."""
    now = now or dt.datetime.now(dt.UTC)
    try:
        xml = Path(path).read_bytes()
    except OSError as error:
        return [MetadataProblem("E107", f"the metadata file cannot be read ({error.strerror})")]
    try:
        entities = _entity_descriptors(xml)
    except (ParseError, ValueError) as error:
        # defusedxml's refusals (DTDs, entities) are ValueErrors.
        return [MetadataProblem("E107", f"the metadata file is not valid XML ({error})")]
    if entities is None:
        return [
            MetadataProblem(
                "E107", "the metadata file is XML but not SAML metadata (no EntityDescriptor)"
            )
        ]
    if not entities:
        return [MetadataProblem("E107", "the metadata file has no EntityDescriptor")]
    problems: list[MetadataProblem] = []
    idp_descriptors = []
    for entity in entities:
        if not (entity.entity_id or "").strip():
            problems.append(MetadataProblem("E108", "an EntityDescriptor has no entityID"))
        idp_descriptors.extend(entity.idpsso_descriptor)
    if not idp_descriptors:
        problems.append(MetadataProblem("E109", "the metadata has no IDPSSODescriptor"))
        return problems
    for idp_descriptor in idp_descriptors:
        certificates = _signing_certificates(idp_descriptor)
        if not certificates:
            problems.append(
                MetadataProblem(
                    "E110",
                    "the IDPSSODescriptor has no signing certificate "
                    '(KeyDescriptor use="signing" with an X509Certificate)',
                )
            )
        for text in certificates:
            problems.extend(_certificate_problems(text, now))
    return problems
