"""SAML 2.0 service provider for Suomi.fi e-Identification and Virtu (pysaml2 + xmlsec1)."""
