"""Client of Suomi.fi e-Authorizations (YPA: acting for organisations), REST with HMAC headers.

1. ``GET /service/ypa/user/register/{clientId}/{hetu}?requestId=…`` → ``{sessionId, userId}``
2. the browser visits ``/oauth/authorize?client_id=…&response_type=code&redirect_uri=…&user=…``
   and the person picks the organisations; it comes back with ``?code=…``
3. ``POST /oauth/token?code=…&grant_type=authorization_code&redirect_uri=…`` with HTTP Basic
   ``clientId:OAuthPassword`` → ``{access_token, …}``
4. ``GET /service/ypa/api/organizationRoles/{sessionId}?requestId=…[&issues=…]`` with the bearer
   token and the checksum header → ``[{name, identifier, roles, complete}]``

The service layer's own mandate issue ("Lupa- ja valvontakokonaisuuksissa asiointi",
``LUVAT_EAUTH_MANDATE_ISSUE``) is asked with ``issues=`` (the parameter e-Authorizations takes
for mandate issues), and an organisation for which the person holds that mandate lists the
issue code among its ``roles``. Where it is granted is not published: the code and this
reading are configuration, not knowledge (national-services.md §3).

The identity code is sent only in step 1 and never logged.
"""

from __future__ import annotations

import uuid
from typing import Any
from urllib.parse import quote, urlencode

import requests
import structlog
from django.utils import timezone

from luvat.identity.companies.base import InvalidBusinessId, normalise_business_id
from luvat.identity.mandates.base import (
    CompanyMandate,
    MandateError,
    MandateStart,
    MandateUnavailable,
)
from luvat.identity.mandates.signing import HEADER, build_header

log = structlog.get_logger(__name__)


class EAuthorizationsClient:
    name = "suomifi"

    def __init__(
        self,
        *,
        base_url: str,
        client_id: str,
        api_key: str,
        oauth_password: str,
        accepted_roles: frozenset[str],
        mandate_issue: str = "",
        timeout: float = 10.0,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.client_id = client_id
        self.api_key = api_key
        self.oauth_password = oauth_password
        self.mandate_issue = mandate_issue
        self.accepted_roles = accepted_roles | ({mandate_issue} if mandate_issue else set())
        self.timeout = timeout

    # -- protocol steps ---------------------------------------------------------------------

    def start(
        self, *, person_id: int, national_id: str, return_url: str, request_id: str
    ) -> MandateStart:
        path = (
            f"/service/ypa/user/register/{quote(self.client_id, safe='')}/"
            f"{quote(national_id, safe='')}?{urlencode({'requestId': request_id})}"
        )
        body = self._get(path, step="register")
        try:
            session_id, user_id = str(body["sessionId"]), str(body["userId"])
        except (KeyError, TypeError) as exc:
            raise MandateUnavailable("register answered without sessionId/userId") from exc
        query = urlencode(
            {
                "client_id": self.client_id,
                "response_type": "code",
                "redirect_uri": return_url,
                "user": user_id,
            }
        )
        return MandateStart(
            state={"session_id": session_id, "user_id": user_id},
            redirect_url=f"{self.base_url}/oauth/authorize?{query}",
        )

    def finish(self, *, state: dict[str, Any], code: str, return_url: str) -> dict[str, Any]:
        query = urlencode(
            {"code": code, "grant_type": "authorization_code", "redirect_uri": return_url}
        )
        try:
            response = requests.post(
                f"{self.base_url}/oauth/token?{query}",
                auth=(self.client_id, self.oauth_password),
                headers={"Accept": "application/json"},
                timeout=self.timeout,
            )
        except requests.RequestException as exc:
            raise MandateUnavailable("e-Authorizations cannot be reached (token)") from exc
        if response.status_code != 200:
            raise MandateError(f"the authorisation code was refused (HTTP {response.status_code})")
        try:
            token = str(response.json()["access_token"])
        except (KeyError, TypeError, ValueError) as exc:
            raise MandateUnavailable("token answer without access_token") from exc
        return {**state, "access_token": token}

    def companies(self, *, person_id: int, state: dict[str, Any]) -> list[CompanyMandate]:
        if not state.get("session_id") or not state.get("access_token"):
            raise MandateError("no e-Authorizations session: the person must choose again")
        query: dict[str, str] = {"requestId": uuid.uuid4().hex}
        if self.mandate_issue:
            query["issues"] = self.mandate_issue
        path = (
            f"/service/ypa/api/organizationRoles/{quote(state['session_id'], safe='')}"
            f"?{urlencode(query)}"
        )
        body = self._get(path, step="organizationRoles", bearer=state["access_token"])
        if not isinstance(body, list):
            raise MandateUnavailable("organizationRoles answered with something else than a list")
        return self.parse_organisation_roles(body)

    def end(self, *, state: dict[str, Any]) -> None:
        if not state.get("session_id"):
            return
        path = f"/service/ypa/user/unregister/{quote(state['session_id'], safe='')}"
        try:
            self._get(path, step="unregister")
        except MandateError:
            log.info("eauth.unregister_failed")

    # -- helpers ------------------------------------------------------------------------------

    def parse_organisation_roles(self, body: list[Any]) -> list[CompanyMandate]:
        """Companies the person may act for: complete role data with an accepted role."""
        result: dict[str, CompanyMandate] = {}
        for item in body:
            if not isinstance(item, dict) or item.get("complete") is not True:
                continue
            roles = tuple(str(role) for role in item.get("roles") or [])
            accepted = [role for role in roles if role in self.accepted_roles]
            if not accepted:
                continue
            try:
                business_id = normalise_business_id(str(item.get("identifier", "")))
            except InvalidBusinessId:
                log.warning("eauth.invalid_business_id_in_answer")
                continue
            # A register role is the stronger basis; the mandate only when there is no role.
            registered = [role for role in accepted if role != self.mandate_issue]
            result[business_id] = CompanyMandate(
                business_id=business_id,
                name=str(item.get("name") or ""),
                roles=roles,
                basis=(registered or accepted)[0],
            )
        return sorted(result.values(), key=lambda mandate: mandate.business_id)

    def _get(self, path: str, *, step: str, bearer: str = "") -> Any:
        header = build_header(
            client_id=self.client_id,
            api_key=self.api_key,
            path_with_query=path,
            now=timezone.now(),
        )
        headers = {HEADER: str(header), "Accept": "application/json"}
        if bearer:
            headers["Authorization"] = f"Bearer {bearer}"
        try:
            response = requests.get(self.base_url + path, headers=headers, timeout=self.timeout)
        except requests.RequestException as exc:
            log.warning("eauth.unreachable", step=step, error=type(exc).__name__)
            raise MandateUnavailable(f"e-Authorizations cannot be reached ({step})") from exc
        if response.status_code in (401, 403):
            raise MandateError(f"e-Authorizations refused the {step} call ({response.status_code})")
        if response.status_code != 200:
            log.warning("eauth.error", step=step, status=response.status_code)
            raise MandateUnavailable(f"e-Authorizations answered {response.status_code} ({step})")
        if step == "unregister":
            return None
        try:
            return response.json()
        except ValueError as exc:
            raise MandateUnavailable(
                f"e-Authorizations answered with invalid JSON ({step})"
            ) from exc
