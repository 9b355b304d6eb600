"""SAML log-in end to end against a local identity provider: a real protocol exchange."""

from __future__ import annotations

import base64
import re

import pytest
from django.test import Client

from luvat.audit.models import AuditEvent
from luvat.identity.models import LoginMethod, OfficialRole, Person, SamlRequest
from luvat.identity.services import national_id_digest
from tests.identity.saml_idp import LocalIdp, suomifi_attributes, virtu_attributes

pytestmark = [pytest.mark.django_db, pytest.mark.xmlsec]


def start_login(client: Client, idp: LocalIdp):
    response = client.get(f"/saml/{idp.name}/login/")
    assert response.status_code == 302
    return idp.receive_authn_request(response["Location"])


def post_response(client: Client, idp_name: str, saml_response: str):
    return client.post(f"/saml/{idp_name}/acs/", {"SAMLResponse": saml_response})


def test_suomifi_login_with_encrypted_assertion_records_identity_and_level(saml_setup):
    idp = saml_setup["suomifi"]
    client = Client()
    received = start_login(client, idp)
    assert received.acs_url == "https://luvat.test/saml/suomifi/acs/"

    response = post_response(client, "suomifi", idp.response(received, suomifi_attributes()))

    assert response.status_code == 302
    assert response["Location"].endswith("/login/continue/")
    person = Person.objects.get()
    assert (person.given_name, person.family_name) == ("Nordea", "Demo")
    assert person.national_id_digest == national_id_digest("010280-952L")
    assert person.last_login_method == LoginMethod.SUOMIFI
    assert person.last_level_of_assurance == "http://ftn.ficora.fi/2017/loa3"
    assert client.session["_auth_user_id"] == str(person.user_id)
    event = AuditEvent.objects.get(action="person.login")
    assert event.details["level_of_assurance"] == "http://ftn.ficora.fi/2017/loa3"
    assert "010280-952L" not in str(event.details)


def test_same_person_is_recognised_on_the_next_login(saml_setup):
    idp = saml_setup["suomifi"]
    for _ in range(2):
        client = Client()
        received = start_login(client, idp)
        post_response(client, "suomifi", idp.response(received, suomifi_attributes()))
    assert Person.objects.count() == 1


def test_signed_unencrypted_assertion_is_accepted(saml_setup):
    idp = saml_setup["suomifi"]
    client = Client()
    received = start_login(client, idp)
    response = post_response(
        client, "suomifi", idp.response(received, suomifi_attributes(), encrypt=False)
    )
    assert response.status_code == 302


def _refused(response) -> None:
    assert response.status_code == 403
    assert not Person.objects.exists()
    assert "_auth_user_id" not in response.client.session
    assert AuditEvent.objects.filter(action="person.login_refused").exists()


def test_tampered_assertion_is_refused(saml_setup):
    idp = saml_setup["suomifi"]
    client = Client()
    received = start_login(client, idp)
    original = idp.response(received, suomifi_attributes(), encrypt=False)
    xml = base64.b64decode(original).decode()
    assert "010280-952L" in xml
    tampered = base64.b64encode(xml.replace("010280-952L", "260991-999R").encode()).decode()
    _refused(post_response(client, "suomifi", tampered))


def test_unsigned_assertion_is_refused(saml_setup):
    idp = saml_setup["suomifi"]
    client = Client()
    received = start_login(client, idp)
    unsigned = idp.response(received, suomifi_attributes(), sign_assertion=False, encrypt=False)
    _refused(post_response(client, "suomifi", unsigned))


def test_expired_assertion_is_refused(saml_setup):
    idp = saml_setup["suomifi"]
    sp_metadata = Client().get("/saml/suomifi/metadata/").content.decode()
    idp.trust_sp(sp_metadata, lifetime=-10)  # conditions end ten minutes ago
    client = Client()
    received = start_login(client, idp)
    _refused(post_response(client, "suomifi", idp.response(received, suomifi_attributes())))


def test_replayed_response_is_refused(saml_setup):
    idp = saml_setup["suomifi"]
    client = Client()
    received = start_login(client, idp)
    saml_response = idp.response(received, suomifi_attributes())
    assert post_response(client, "suomifi", saml_response).status_code == 302
    client.logout()
    # The browser starts a new log-in (a fresh nonce and request) and posts the old response.
    start_login(client, idp)
    replay = post_response(client, "suomifi", saml_response)
    assert replay.status_code == 403
    assert "_auth_user_id" not in client.session
    refusal = AuditEvent.objects.get(action="person.login_refused")
    assert "Unsolicited" in refusal.details["reason"]


def test_response_from_another_browser_is_refused(saml_setup):
    idp = saml_setup["suomifi"]
    received = start_login(Client(), idp)
    saml_response = idp.response(received, suomifi_attributes())
    _refused(post_response(Client(), "suomifi", saml_response))


def test_response_signed_by_an_unknown_idp_is_refused(saml_setup, saml_keys):
    idp = saml_setup["suomifi"]
    client = Client()
    received = start_login(client, idp)
    # Re-sign with a key the SP does not trust: swap the IdP's key pair before answering.
    sp_metadata = Client().get("/saml/suomifi/metadata/").content.decode()
    idp.key, idp.cert = saml_keys["rogue"]
    idp.trust_sp(sp_metadata)
    _refused(post_response(client, "suomifi", idp.response(received, suomifi_attributes())))


def test_unsolicited_response_is_refused(saml_setup):
    idp = saml_setup["suomifi"]
    client = Client()
    received = start_login(client, idp)
    SamlRequest.objects.all().delete()
    _refused(post_response(client, "suomifi", idp.response(received, suomifi_attributes())))


def test_authn_request_is_signed_and_asks_for_the_level_of_assurance(saml_setup):
    client = Client()
    location = client.get("/saml/suomifi/login/")["Location"]
    assert location.startswith("https://idp.test/suomifi/sso?")
    assert "Signature=" in location and "SigAlg=" in location
    # The local IdP refuses a request whose signature does not verify.
    broken = re.sub(r"Signature=[^&]+", "Signature=AAAA", location)
    with pytest.raises(Exception, match=r"(?i)sign"):
        saml_setup["suomifi"].receive_authn_request(broken)


def test_sp_metadata_is_published_at_a_stable_url(saml_setup):
    response = Client().get("/saml/suomifi/metadata/")
    text = response.content.decode()
    assert response["Content-Type"] == "application/samlmetadata+xml"
    assert 'entityID="https://luvat.test/saml/suomifi/metadata/"' in text
    assert "https://luvat.test/saml/suomifi/acs/" in text
    assert "https://luvat.test/saml/suomifi/sls/" in text
    assert 'AuthnRequestsSigned="true"' in text
    assert 'use="encryption"' in text and 'use="signing"' in text


def test_virtu_login_maps_organisation_email_and_roles(saml_setup):
    idp = saml_setup["virtu"]
    client = Client()
    received = start_login(client, idp)
    saml_response = idp.response(
        received, virtu_attributes(["luvat:official:TUKES", "luvat:authority-admin:LVV", "other:x"])
    )
    assert post_response(client, "virtu", saml_response).status_code == 302
    person = Person.objects.get()
    assert person.virtu_id == "olli.virkamies@tukes.fi"
    assert person.email == "olli.virkamies@tukes.example"
    assert person.home_organisation == "Turvallisuus- ja kemikaalivirasto"
    roles = {(r.authority_code, r.is_authority_admin) for r in OfficialRole.objects.all()}
    assert roles == {("TUKES", False), ("LVV", True)}


def test_virtu_roles_follow_entitlements_on_each_login(saml_setup):
    idp = saml_setup["virtu"]
    for entitlements in (["luvat:official:TUKES"], ["luvat:official:LVV"]):
        client = Client()
        received = start_login(client, idp)
        post_response(client, "virtu", idp.response(received, virtu_attributes(entitlements)))
    assert list(OfficialRole.objects.values_list("authority_code", flat=True)) == ["LVV"]


def test_assertion_without_identity_code_is_refused(saml_setup):
    idp = saml_setup["suomifi"]
    client = Client()
    received = start_login(client, idp)
    attributes = suomifi_attributes()
    del attributes["nationalIdentificationNumber"]
    _refused(post_response(client, "suomifi", idp.response(received, attributes)))


def test_disabled_idp_has_no_endpoints(saml_setup, settings):
    settings.LUVAT_LOGIN_BACKENDS = ["test"]
    assert Client().get("/saml/suomifi/metadata/").status_code == 404
    assert Client().get("/saml/suomifi/login/").status_code == 404


def _logged_in(saml_setup, name_id="transient-1234"):
    idp = saml_setup["suomifi"]
    client = Client()
    received = start_login(client, idp)
    post_response(client, "suomifi", idp.response(received, suomifi_attributes(), name_id=name_id))
    assert "_auth_user_id" in client.session
    return client, idp


def test_sp_initiated_single_logout(saml_setup):
    client, idp = _logged_in(saml_setup)
    response = client.post("/fi/logout/")
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session  # logged out here before the IdP answers
    logout_request = idp.receive_logout_request(response["Location"])
    assert logout_request.message.name_id.text == "transient-1234"
    answer = client.get(
        idp.logout_response_location(
            logout_request, "https://luvat.test/saml/suomifi/sls/"
        ).replace("https://luvat.test", "")
    )
    assert answer.status_code == 302
    assert answer["Location"].endswith("/logged-out/")


def test_unsigned_logout_response_is_refused(saml_setup):
    client, idp = _logged_in(saml_setup)
    logout_request = idp.receive_logout_request(client.post("/fi/logout/")["Location"])
    location = idp.logout_response_location(
        logout_request, "https://luvat.test/saml/suomifi/sls/", sign=False
    )
    assert client.get(location.replace("https://luvat.test", "")).status_code == 403


def test_idp_initiated_single_logout_ends_the_session_and_answers_signed(saml_setup):
    client, idp = _logged_in(saml_setup)
    location = idp.logout_request_location(
        "https://luvat.test/saml/suomifi/metadata/",
        "https://luvat.test/saml/suomifi/sls/",
        "transient-1234",
    )
    response = client.get(location.replace("https://luvat.test", ""))
    assert response.status_code == 302
    assert response["Location"].startswith("https://idp.test/suomifi/slo?SAMLResponse=")
    assert "Signature=" in response["Location"]
    assert "_auth_user_id" not in client.session


def test_forged_logout_request_does_not_end_the_session(saml_setup):
    client, idp = _logged_in(saml_setup)
    location = idp.logout_request_location(
        "https://luvat.test/saml/suomifi/metadata/",
        "https://luvat.test/saml/suomifi/sls/",
        "transient-1234",
    )
    forged = re.sub(r"Signature=[^&]+", "Signature=AAAA", location)
    assert client.get(forged.replace("https://luvat.test", "")).status_code == 403
    assert "_auth_user_id" in client.session


def test_level_of_assurance_below_the_requested_one_is_refused(saml_setup):
    idp = saml_setup["suomifi"]
    client = Client()
    received = start_login(client, idp)
    weaker = idp.response(received, suomifi_attributes(), loa="http://ftn.ficora.fi/2017/loa2")
    _refused(post_response(client, "suomifi", weaker))


def test_eidas_high_satisfies_loa3(saml_setup):
    idp = saml_setup["suomifi"]
    client = Client()
    received = start_login(client, idp)
    eidas = idp.response(received, suomifi_attributes(), loa="http://eidas.europa.eu/LoA/high")
    assert post_response(client, "suomifi", eidas).status_code == 302


def test_person_with_address_disclosure_ban_is_flagged(saml_setup):
    idp = saml_setup["suomifi"]
    client = Client()
    received = start_login(client, idp)
    attributes = suomifi_attributes(national_id="260991-999R", ban=True)
    assert post_response(client, "suomifi", idp.response(received, attributes)).status_code == 302
    assert Person.objects.get().address_disclosure_ban is True
