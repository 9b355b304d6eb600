"""pysaml2 attribute map: the URI-named attributes of Suomi.fi e-Identification and Virtu.

pysaml2 loads every module in this folder (and only these) so that both our service provider
and the test identity provider name attributes the same way.
"""

SUOMIFI = {
    "urn:oid:1.2.246.21": "nationalIdentificationNumber",
    "urn:oid:1.2.246.22": "electronicIdentificationNumber",
    "urn:oid:2.5.4.3": "cn",
    "urn:oid:2.16.840.1.113730.3.1.241": "displayName",
    "http://eidas.europa.eu/attributes/naturalperson/CurrentGivenName": "FirstName",
    "http://eidas.europa.eu/attributes/naturalperson/CurrentFamilyName": "eidasFamilyName",
    "http://eidas.europa.eu/attributes/naturalperson/PersonIdentifier": "PersonIdentifier",
    "http://eidas.europa.eu/attributes/naturalperson/DateOfBirth": "DateOfBirth",
    "urn:oid:2.5.4.42": "givenName",
    "urn:oid:2.5.4.4": "sn",
    "urn:oid:0.9.2342.19200300.100.1.3": "mail",
    "urn:oid:1.2.246.517.2002.2.18": "KotikuntaKuntanumero",
    "urn:oid:1.2.246.517.2002.2.27": "TurvakieltoTieto",
}
VIRTU = {
    "urn:oid:1.3.6.1.4.1.31350.1.8": "virtuLocalID",
    "urn:oid:1.3.6.1.4.1.31350.1.5": "virtuHomeOrganization",
    "urn:oid:1.3.6.1.4.1.31350.1.4": "virtuPersonEntitlement",
    "urn:oid:2.5.4.10": "o",
}

MAP = {
    "identifier": "urn:oasis:names:tc:SAML:2.0:attrname-format:uri",
    "fro": {**SUOMIFI, **VIRTU},
    "to": {friendly: uri for uri, friendly in {**SUOMIFI, **VIRTU}.items()},
}
