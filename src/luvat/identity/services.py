"""Writes of the identity context: log-in of a person, roles, mandates (stand-in), API keys."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

from luvat.audit.actors import Actor, ActorKind
from luvat.audit.services import audit_record
from luvat.identity.companies.base import normalise_business_id
from luvat.identity.identities import VerifiedIdentity
from luvat.identity.login_listeners import notify_login
from luvat.identity.models import (
    ApiClient,
    ApiKey,
    LocalMandate,
    LoginMethod,
    OfficialRole,
    Person,
    RoleSource,
    UserSession,
)

API_KEY_PREFIX = "luvat"


def national_id_digest(national_id: str) -> str:
    """A keyed digest that recognises the same identity code again without storing it (keyed
    with ``LUVAT_IDENTITY_KEY``, or the session key when that is empty)."""
    return salted_hmac(
        "luvat.identity.national-id",
        national_id.strip().upper(),
        secret=settings.LUVAT_IDENTITY_KEY or settings.SECRET_KEY,
        algorithm="sha256",
    ).hexdigest()


def person_actor(person: Person) -> Actor:
    """The person as the actor of their own log-in (before they choose whom they act for)."""
    return Actor(kind=ActorKind.CUSTOMER, ref=f"person:{person.pk}", label=person.full_name)


def person_account_create() -> User:
    """The Django account behind a person: no password, used only through strong log-in."""
    user = get_user_model().objects.create_user(username=f"p-{uuid.uuid4().hex[:20]}")
    user.set_unusable_password()
    user.save(update_fields=["password"])
    return user


def _find_person(identity: VerifiedIdentity) -> Person | None:
    people = Person.objects.select_for_update()
    if identity.national_id:
        return people.filter(national_id_digest=national_id_digest(identity.national_id)).first()
    if identity.virtu_id:
        return people.filter(virtu_id=identity.virtu_id).first()
    if identity.demo_key:
        return people.filter(demo_key=identity.demo_key).first()
    raise ValueError("an identity needs a national id, a Virtu id or a demo key")


@transaction.atomic
def person_login(*, identity: VerifiedIdentity) -> Person:
    """Find or create the person an identity provider vouched for and record the log-in."""
    person = _find_person(identity)
    created = person is None
    if person is None:
        person = Person(user=person_account_create())
        if identity.national_id:
            person.national_id_digest = national_id_digest(identity.national_id)
        person.virtu_id = identity.virtu_id or None
        person.demo_key = identity.demo_key or None
    if identity.method != LoginMethod.TEST:
        # The identity provider is the authority on names; the test IdP keeps edited demo data.
        person.given_name = identity.given_name or person.given_name
        person.family_name = identity.family_name or person.family_name
        person.email = identity.email or person.email
        person.address_disclosure_ban = identity.address_disclosure_ban
        person.home_organisation = identity.home_organisation or person.home_organisation
    person.last_login_method = identity.method
    person.last_level_of_assurance = identity.level_of_assurance
    person.save()
    if identity.method == LoginMethod.VIRTU:
        _sync_virtu_roles(person=person, entitlements=identity.entitlements)
    notify_login(person, person_actor(person))
    audit_record(
        actor=person_actor(person),
        action="person.login",
        target=person,
        details={
            "method": str(identity.method),
            "level_of_assurance": identity.level_of_assurance,
            "created": created,
        },
    )
    return person


def _sync_virtu_roles(*, person: Person, entitlements: tuple[str, ...]) -> None:
    prefix = settings.LUVAT_VIRTU_ENTITLEMENT_PREFIX
    granted: dict[str, bool] = {}
    for value in entitlements:
        if not prefix or not value.startswith(prefix):
            continue
        role, _, code = value[len(prefix) :].partition(":")
        code = code.strip().upper()
        if role in {"official", "authority-admin"} and code:
            granted[code] = granted.get(code, False) or role == "authority-admin"
    existing = {r.authority_code: r for r in person.official_roles.filter(source=RoleSource.VIRTU)}
    for code, stale in existing.items():
        if code not in granted:
            stale.delete()
    for code, is_admin in granted.items():
        if person.official_roles.filter(authority_code=code, source=RoleSource.ADMIN).exists():
            continue
        OfficialRole.objects.update_or_create(
            person=person,
            authority_code=code,
            defaults={"is_authority_admin": is_admin, "source": RoleSource.VIRTU},
        )


@transaction.atomic
def session_register(*, user: User, session_key: str, method: str) -> UserSession:
    """Remember an open session so that "log out everywhere" can end it."""
    session, _ = UserSession.objects.update_or_create(
        session_key=session_key, defaults={"user": user, "login_method": method}
    )
    return session


@transaction.atomic
def sessions_end_all(*, user: User, actor: Actor) -> int:
    """End every open session of ``user`` (log out everywhere). Returns how many were ended."""
    from importlib import import_module

    store = import_module(settings.SESSION_ENGINE).SessionStore
    keys = list(UserSession.objects.filter(user=user).values_list("session_key", flat=True))
    for key in keys:
        store(session_key=key).delete()
    UserSession.objects.filter(user=user).delete()
    audit_record(
        actor=actor, action="person.logout_everywhere", target=user, details={"sessions": len(keys)}
    )
    return len(keys)


@transaction.atomic
def mandate_grant(
    *, person: Person, business_id: str, company_name: str = "", role: str = "TJ", actor: Actor
) -> LocalMandate:
    """Stand-in mandate: ``person`` may act for the company (re-grants a revoked one)."""
    business_id = normalise_business_id(business_id)
    mandate, created = LocalMandate.objects.get_or_create(
        person=person,
        business_id=business_id,
        defaults={"company_name": company_name, "role": role},
    )
    if not created and mandate.revoked_at is not None:
        mandate.revoked_at = None
        mandate.save(update_fields=["revoked_at"])
    audit_record(
        actor=actor, action="mandate.grant", target=mandate, details={"business_id": business_id}
    )
    return mandate


@transaction.atomic
def mandate_revoke(*, mandate: LocalMandate, actor: Actor) -> LocalMandate:
    """Stand-in mandate ends; the person's next write for the company is refused."""
    mandate = LocalMandate.objects.select_for_update().get(pk=mandate.pk)
    if mandate.revoked_at is None:
        mandate.revoked_at = timezone.now()
        mandate.save(update_fields=["revoked_at"])
        audit_record(
            actor=actor,
            action="mandate.revoke",
            target=mandate,
            details={"business_id": mandate.business_id},
        )
    return mandate


@dataclass(frozen=True)
class IssuedKey:
    key: ApiKey
    token: str  # shown once; only its digest is stored


def api_key_digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def api_key_issue(
    *, client: ApiClient, actor: Actor, old_keys_valid_for: timedelta = timedelta(days=7)
) -> IssuedKey:
    """A new key for ``client`` (rotation): older keys stay valid for ``old_keys_valid_for``."""
    client = ApiClient.objects.select_for_update().get(pk=client.pk)
    now = timezone.now()
    cutoff = now + old_keys_valid_for
    for old in client.keys.filter(revoked_at__isnull=True):
        if old.expires_at is None or old.expires_at > cutoff:
            old.expires_at = cutoff
            old.save(update_fields=["expires_at"])
    key_id = secrets.token_hex(6)
    secret = secrets.token_urlsafe(32)
    key = ApiKey.objects.create(client=client, key_id=key_id, secret_digest=api_key_digest(secret))
    audit_record(
        actor=actor,
        action="api_key.issue",
        target=key,
        details={"client": client.pk, "authority_code": client.authority_code, "key_id": key_id},
    )
    return IssuedKey(key=key, token=f"{API_KEY_PREFIX}_{key_id}_{secret}")


@transaction.atomic
def api_key_revoke(*, key: ApiKey, actor: Actor) -> ApiKey:
    """The key stops working at once."""
    key = ApiKey.objects.select_for_update().get(pk=key.pk)
    if key.revoked_at is None:
        key.revoked_at = timezone.now()
        key.save(update_fields=["revoked_at"])
        audit_record(
            actor=actor, action="api_key.revoke", target=key, details={"key_id": key.key_id}
        )
    return key
