"""SAML 2.0 endpoints of our service provider, one set per identity provider:

``/saml/<idp>/metadata/`` (stable URL of our SP metadata), ``/saml/<idp>/login/`` (signed
AuthnRequest, HTTP-Redirect), ``/saml/<idp>/acs/`` (Response, HTTP-POST; assertions must be
signed, may be encrypted) and ``/saml/<idp>/sls/`` (single logout both ways, HTTP-Redirect).

A response is accepted once, only in answer to a request we sent from the same browser (a
nonce cookie), within its validity; everything else is refused and logged.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Any

import structlog
from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe
from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
from saml2.client import Saml2Client
from saml2.ident import code as encode_name_id
from saml2.ident import decode as decode_name_id
from saml2.metadata import create_metadata_string
from saml2.saml import AuthnContextClassRef
from saml2.samlp import STATUS_SUCCESS, RequestedAuthnContext
from saml2.sigver import verify_redirect_signature
from saml2.xmldsig import SIG_RSA_SHA256

from luvat.audit.actors import Actor
from luvat.audit.services import audit_record
from luvat.identity import sessions
from luvat.identity.door import door_exempt
from luvat.identity.identities import IdentityRejected, from_suomifi, from_virtu
from luvat.identity.models import SamlRequest
from luvat.identity.saml.config import SamlNotConfigured, idp_entity_id, saml_client, sp_config
from luvat.identity.services import person_login

log = structlog.get_logger(__name__)
NONCE_COOKIE = "luvat_saml"
REQUEST_VALIDITY = timedelta(minutes=15)
LOGOUT_REQUEST = "luvat.saml_logout_request"


class ResponseRefused(Exception):
    """The SAML response must not log anyone in."""


def _client_for(idp: str) -> Saml2Client:
    if idp not in settings.LUVAT_LOGIN_BACKENDS:
        raise Http404("this log-in method is not enabled")
    try:
        return saml_client(idp)
    except SamlNotConfigured as exc:
        log.error("saml.not_configured", idp=idp, problem=str(exc))
        raise Http404("this log-in method is not configured") from exc


def _digest(nonce: str) -> str:
    return hashlib.sha256(nonce.encode()).hexdigest()


@require_safe
def metadata(request: HttpRequest, idp: str) -> HttpResponse:
    if idp not in settings.LUVAT_LOGIN_BACKENDS:
        raise Http404("this log-in method is not enabled")
    try:
        config = sp_config(idp, with_idp_metadata=False)
    except SamlNotConfigured as exc:
        raise Http404("this log-in method is not configured") from exc
    text = create_metadata_string(None, config=config, valid=24 * 7, sign=False)
    return HttpResponse(text, content_type="application/samlmetadata+xml")


@require_safe
def login(request: HttpRequest, idp: str) -> HttpResponse:
    client = _client_for(idp)
    kwargs: dict[str, Any] = {}
    loa = settings.LUVAT_SAML_IDPS[idp].get("loa")
    if loa:
        kwargs["requested_authn_context"] = RequestedAuthnContext(
            authn_context_class_ref=[AuthnContextClassRef(text=loa)], comparison="minimum"
        )
    request_id, info = client.prepare_for_authenticate(
        entityid=idp_entity_id(client),
        binding=BINDING_HTTP_REDIRECT,
        sign=True,
        sigalg=SIG_RSA_SHA256,
        **kwargs,
    )
    nonce = secrets.token_urlsafe(32)
    SamlRequest.objects.create(
        request_id=request_id,
        idp=idp,
        browser_nonce_digest=_digest(nonce),
        next_url=str(request.session.get("luvat.next", ""))[:500],
    )
    location = dict(info["headers"])["Location"]
    response = HttpResponseRedirect(location)
    response.set_cookie(
        NONCE_COOKIE,
        nonce,
        max_age=int(REQUEST_VALIDITY.total_seconds()),
        httponly=True,
        secure=request.is_secure(),
        # The IdP posts the response back cross-site; Lax would withhold the cookie then.
        samesite="None" if request.is_secure() else "Lax",
        path=f"/saml/{idp}/",
    )
    log.info("saml.authn_request", idp=idp, request_id=request_id)
    return response


def _refuse(request: HttpRequest, idp: str, reason: str) -> HttpResponse:
    log.warning("saml.response_refused", idp=idp, reason=reason)
    audit_record(
        actor=Actor.anonymous(),
        action="person.login_refused",
        target=("saml-idp", idp),
        details={"reason": reason},
    )
    return render(request, "identity/login_failed.html", status=403)


@door_exempt
@csrf_exempt
@require_POST
def acs(request: HttpRequest, idp: str) -> HttpResponse:
    client = _client_for(idp)
    encoded = request.POST.get("SAMLResponse", "")
    nonce = request.COOKIES.get(NONCE_COOKIE, "")
    if not encoded or not nonce:
        return _refuse(request, idp, "missing response or browser nonce")
    outstanding = {
        row.request_id: row.next_url
        for row in SamlRequest.objects.filter(
            idp=idp,
            browser_nonce_digest=_digest(nonce),
            used_at__isnull=True,
            created_at__gt=timezone.now() - REQUEST_VALIDITY,
        )
    }
    if not outstanding:
        return _refuse(request, idp, "no outstanding request from this browser")
    try:
        response = client.parse_authn_request_response(
            encoded, BINDING_HTTP_POST, outstanding=outstanding
        )
        if response is None:
            raise ResponseRefused("empty response")
        if not response.assertion:
            raise ResponseRefused("no assertion")
        authn = response.authn_info()
        loa = str(authn[0][0]) if authn else ""
        attributes = response.get_identity()
        mapper = from_suomifi if idp == "suomifi" else from_virtu
        identity = mapper(
            attributes, loa=loa, required_loa=settings.LUVAT_SAML_IDPS[idp].get("loa", "")
        )
        session = response.session_info()
        _mark_used(response.in_response_to, str(response.assertion.id))
    except IdentityRejected as exc:
        return _refuse(request, idp, str(exc))
    except ResponseRefused as exc:
        return _refuse(request, idp, str(exc))
    except Exception as exc:
        return _refuse(request, idp, f"{type(exc).__name__}: {str(exc)[:200]}")
    next_url = outstanding.get(response.in_response_to, "")
    person = person_login(identity=identity)
    sessions.session_login(request, person=person, identity=identity)
    request.session[sessions.SAML] = {
        "idp": idp,
        "name_id": encode_name_id(session["name_id"]),
        "session_index": session.get("session_index") or "",
    }
    if next_url:
        request.session["luvat.next"] = next_url
    result = redirect("identity:continue")
    result.delete_cookie(NONCE_COOKIE, path=f"/saml/{idp}/")
    return result


def _mark_used(request_id: str, assertion_id: str) -> None:
    try:
        with transaction.atomic():
            updated = SamlRequest.objects.filter(
                request_id=request_id, used_at__isnull=True
            ).update(used_at=timezone.now(), assertion_id=assertion_id)
    except IntegrityError:
        raise ResponseRefused("assertion already used (replay)") from None
    if updated != 1:
        raise ResponseRefused("response already used (replay)")


def start_single_logout(request: HttpRequest, saml: dict[str, str]) -> HttpResponse:
    """Log out here, then send a signed LogoutRequest to the IdP (SP-initiated single logout)."""
    idp = saml["idp"]
    sessions.session_logout(request)
    try:
        client = _client_for(idp)
        idp_id = idp_entity_id(client)
        destination = client.metadata.single_logout_service(
            idp_id, BINDING_HTTP_REDIRECT, "idpsso"
        )[0]["location"]
        request_id, logout_request = client.create_logout_request(
            destination,
            idp_id,
            name_id=decode_name_id(saml["name_id"]),
            session_indexes=[saml["session_index"]] if saml.get("session_index") else None,
        )
        info = client.apply_binding(
            BINDING_HTTP_REDIRECT,
            str(logout_request),
            destination,
            sign=True,
            sigalg=SIG_RSA_SHA256,
        )
    except (Http404, IndexError, KeyError) as exc:
        log.warning("saml.logout_request_failed", idp=idp, error=type(exc).__name__)
        return redirect("identity:logged-out")
    request.session[LOGOUT_REQUEST] = request_id
    return HttpResponseRedirect(dict(info["headers"])["Location"])


def _redirect_signature_ok(client: Saml2Client, request: HttpRequest, kind: str) -> bool:
    message = {
        key: request.GET[key]
        for key in (kind, "RelayState", "SigAlg", "Signature")
        if key in request.GET
    }
    if "SigAlg" not in message or "Signature" not in message:
        return False
    certs = client.metadata.certs(idp_entity_id(client), "idpsso", "signing")
    try:
        return any(
            verify_redirect_signature(message, client.sec.sec_backend, cert) for _, cert in certs
        )
    except Exception:
        return False


@require_safe
def sls(request: HttpRequest, idp: str) -> HttpResponse:
    """Single logout: the IdP's LogoutResponse to us, or its LogoutRequest (IdP-initiated)."""
    client = _client_for(idp)
    if "SAMLResponse" in request.GET:
        if not _redirect_signature_ok(client, request, "SAMLResponse"):
            return _refuse(request, idp, "unsigned or badly signed LogoutResponse")
        try:
            answer = client.parse_logout_request_response(
                request.GET["SAMLResponse"], BINDING_HTTP_REDIRECT
            )
        except Exception as exc:
            return _refuse(request, idp, f"LogoutResponse: {type(exc).__name__}")
        expected = request.session.pop(LOGOUT_REQUEST, None)
        if answer is None or answer.in_response_to != expected:
            return _refuse(request, idp, "LogoutResponse to an unknown request")
        if answer.response.status.status_code.value != STATUS_SUCCESS:
            log.warning("saml.logout_partial", idp=idp)
        return redirect("identity:logged-out")
    if "SAMLRequest" in request.GET:
        if not _redirect_signature_ok(client, request, "SAMLRequest"):
            return _refuse(request, idp, "unsigned or badly signed LogoutRequest")
        try:
            logout_request = client.parse_logout_request(
                request.GET["SAMLRequest"], BINDING_HTTP_REDIRECT
            )
        except Exception as exc:
            return _refuse(request, idp, f"LogoutRequest: {type(exc).__name__}")
        saml = request.session.get(sessions.SAML) or {}
        name_id = logout_request.message.name_id
        if saml.get("idp") == idp and decode_name_id(saml.get("name_id", "")) == name_id:
            sessions.session_logout(request)
        response = client.create_logout_response(
            logout_request.message, [BINDING_HTTP_REDIRECT], sign=False
        )
        destination = client.metadata.single_logout_service(
            idp_entity_id(client), BINDING_HTTP_REDIRECT, "idpsso"
        )[0]
        location = destination.get("response_location") or destination["location"]
        info = client.apply_binding(
            BINDING_HTTP_REDIRECT,
            str(response),
            location,
            request.GET.get("RelayState", ""),
            response=True,
            sign=True,
            sigalg=SIG_RSA_SHA256,
        )
        return HttpResponseRedirect(dict(info["headers"])["Location"])
    return _refuse(request, idp, "neither SAMLRequest nor SAMLResponse")
