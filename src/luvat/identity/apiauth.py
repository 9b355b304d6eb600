"""Authentication of authority systems on the API: per-authority API keys.

``Authorization: Bearer luvat_<key id>_<secret>``. Only a SHA-256 digest of the secret is
stored; keys rotate (a new key, the old ones valid for a grace period) and can be revoked.
Use :data:`authority_system_auth` as ``auth=`` of a router or endpoint, then
:func:`require_authority` for the object's authority.
"""

from __future__ import annotations

import hmac
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer

from luvat.identity.door import actor_from_request
from luvat.identity.models import ApiClient, ApiKey
from luvat.identity.policy import authorise, can_handle_service
from luvat.identity.services import API_KEY_PREFIX, api_key_digest
from luvat.web.api_errors import ApiProblem

LAST_USED_PRECISION = timedelta(minutes=5)
# Authority systems send many requests with one key: each process remembers a key it has
# resolved for a few seconds. A change saved in this process (revocation, deactivation) is
# forgotten at once (signals, IdentityConfig.ready); one saved elsewhere counts within this time.
KEY_CACHE_SECONDS = 5.0


@dataclass(frozen=True)
class _CachedKey:
    key: ApiKey
    client: ApiClient
    until: float


_key_cache: dict[str, _CachedKey] = {}
_key_cache_lock = threading.Lock()


def forget_api_keys(**_kwargs: object) -> None:
    """Drop every remembered key resolution (connected to saves of keys and clients)."""
    with _key_cache_lock:
        _key_cache.clear()


def _key_for(key_id: str) -> ApiKey | None:
    now = time.monotonic()
    cached = _key_cache.get(key_id)
    if cached is not None and cached.until > now:
        return cached.key
    key = ApiKey.objects.select_related("client").filter(key_id=key_id).first()
    if key is not None:
        with _key_cache_lock:
            _key_cache[key_id] = _CachedKey(key, key.client, now + KEY_CACHE_SECONDS)
    return key


def _touch(key: ApiKey, now: datetime) -> None:
    ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)
    key.last_used_at = now


class CredentialsRefused(Exception):
    def __init__(self, slug: str, detail: str) -> None:
        super().__init__(detail)
        self.slug = slug
        self.detail = detail


def parse_api_key(token: str) -> tuple[str, str] | None:
    """``(key id, secret)`` from ``luvat_<key id>_<secret>``, or None when malformed."""
    prefix, sep, rest = token.strip().partition("_")
    if prefix != API_KEY_PREFIX or not sep:
        return None
    key_id, sep, secret = rest.partition("_")
    if not sep or not key_id or not secret or len(key_id) > 16 or len(secret) > 128:
        return None
    if not key_id.isalnum():
        return None
    return key_id, secret


def api_client_for_token(token: str) -> ApiClient:
    """The active client owning a usable key, or CredentialsRefused."""
    parsed = parse_api_key(token)
    if parsed is None:
        raise CredentialsRefused("invalid-credentials", "The API key is malformed.")
    key_id, secret = parsed
    key = _key_for(key_id)
    if key is None or not hmac.compare_digest(key.secret_digest, api_key_digest(secret)):
        raise CredentialsRefused("invalid-credentials", "The API key is not known.")
    now = timezone.now()
    if not key.is_usable(now):
        raise CredentialsRefused(
            "credentials-expired", "The API key has expired or been revoked; use the new key."
        )
    if not key.client.is_active:
        raise CredentialsRefused("invalid-credentials", "The API client has been deactivated.")
    if key.last_used_at is None or key.last_used_at < now - LAST_USED_PRECISION:
        _touch(key, now)
    return key.client


class AuthoritySystemAuth(HttpBearer):
    """ninja auth: the request comes from an authority system with a valid API key."""

    def __call__(self, request: HttpRequest) -> ApiClient | None:
        header = request.headers.get("Authorization", "")
        if not header:
            raise ApiProblem(
                status=401,
                slug="unauthenticated",
                detail="Send your API key: Authorization: Bearer <key>.",
            )
        result = super().__call__(request)
        if result is None:
            raise ApiProblem(
                status=401, slug="invalid-credentials", detail="Use the Bearer scheme."
            )
        return result  # type: ignore[no-any-return]

    def authenticate(self, request: HttpRequest, token: str) -> ApiClient:
        try:
            return api_client_for_token(token)
        except CredentialsRefused as refused:
            raise ApiProblem(status=401, slug=refused.slug, detail=refused.detail) from None


authority_system_auth = AuthoritySystemAuth()


def authority_allows(request: HttpRequest, authority_code: str, *, service_code: str = "") -> bool:
    """Whether the caller acts for ``authority_code`` (and ``service_code``, when its
    credentials are limited to some services)."""
    client = getattr(request, "auth", None)
    if isinstance(client, ApiClient):
        # The client was loaded with its key: the policy's rule without fetching it again.
        return client.authority_code == authority_code and (
            not client.service_codes or service_code in client.service_codes
        )
    return can_handle_service(actor_from_request(request), authority_code, service_code)


def require_authority(
    request: HttpRequest,
    authority_code: str,
    *,
    service_code: str = "",
    object_type: str = "authority",
    object_id: object = "",
    purpose: str = "",
    subject_business_id: str = "",
    known: bool = True,
) -> None:
    """Unless the caller acts for ``authority_code``: an access-log entry (shown to
    ``subject_business_id``'s company) and a 403 problem ``other-authority``, or a 404 when the
    caller may not know the object exists (``known=False``: another authority's application)."""
    allowed = authority_allows(request, authority_code, service_code=service_code)
    refusal = (
        ApiProblem(
            status=403,
            slug="other-authority",
            detail="Your credentials are for another authority or service.",
        )
        if known
        else None
    )
    authorise(
        actor_from_request(request),
        allowed,
        object_type=object_type,
        object_id=object_id or authority_code,
        purpose=purpose or request.path,
        subject_business_id=subject_business_id,
        known=known,
        refusal=refusal,
    )
