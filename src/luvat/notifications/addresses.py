"""Writes about the address a person's notification e-mails go to.

An address comes from the log-in service (Suomi.fi e-Identification's ``mail`` attribute,
Virtu's ``mail``) or the person enters it on their own page; either way it is used only after
the person has followed the link sent to it, and only until a mail server refuses it
permanently. An address the person entered is never replaced by one from a later log-in.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from luvat.audit.actors import Actor
from luvat.audit.services import audit_record
from luvat.notifications.models import (
    AddressSource,
    EmailAddress,
    EmailState,
    Notification,
    NotificationKind,
)
from luvat.notifications.recipients import Audience

_SALT = "luvat.notifications.email-verify"


class InvalidAddress(ValueError):
    """Not an e-mail address."""


class InvalidVerificationLink(ValueError):
    """The link is forged, expired or for an address the person no longer uses."""


def _normalised(address: str) -> str:
    address = address.strip()
    try:
        validate_email(address)
    except ValidationError:
        raise InvalidAddress(address) from None
    local, _at, domain = address.rpartition("@")
    return f"{local}@{domain.lower()}"


def verification_token(row: EmailAddress) -> str:
    """The secret part of the verification link: signed user id and address, time-limited."""
    return signing.dumps({"u": row.user_id, "a": row.address}, salt=_SALT, compress=True)


def verification_path(row: EmailAddress) -> str:
    from django.urls import reverse

    with translation.override(row.language):
        return reverse("notifications:email-verify", args=[verification_token(row)])


def _queue_verification(row: EmailAddress) -> None:
    row.verified_at = None
    row.undeliverable_at = None
    row.undeliverable_reason = ""
    row.verification_state = EmailState.PENDING
    row.verification_attempts = 0
    row.verification_next_attempt_at = timezone.now()
    row.verification_sent_at = None
    row.verification_error = ""


@transaction.atomic
def email_address_set(
    *,
    actor: Actor,
    user_id: int,
    address: str,
    language: str,
    source: AddressSource = AddressSource.ENTERED,
) -> EmailAddress:
    """Make ``address`` the person's e-mail address and queue the link that verifies it.

    Entering the address already verified and working changes nothing; entering a refused
    address again starts a new verification (the person may have fixed their mailbox).
    """
    address = _normalised(address)
    if language not in dict(settings.LANGUAGES):
        language = settings.LANGUAGE_CODE
    row = EmailAddress.objects.select_for_update().filter(user_id=user_id).first()
    if row is not None and row.address.lower() == address.lower() and row.usable:
        return row
    if row is None:
        row = EmailAddress(user_id=user_id)
    row.address = address
    row.source = source
    row.language = language
    _queue_verification(row)
    row.save()
    audit_record(
        actor=actor,
        action="notification.email_address_set",
        target=("auth.user", user_id),
        details={"source": str(source), "domain": address.rpartition("@")[2]},
    )
    return row


def email_address_from_login(*, actor: Actor, user_id: int, address: str, language: str) -> None:
    """The log-in service gave an address: use it unless the person chose one themselves."""
    if not address:
        return
    try:
        normalised = _normalised(address)
    except InvalidAddress:
        return
    row = EmailAddress.objects.filter(user_id=user_id).first()
    if row is not None and (
        row.source == AddressSource.ENTERED or row.address.lower() == normalised.lower()
    ):
        return
    email_address_set(
        actor=actor,
        user_id=user_id,
        address=normalised,
        language=language,
        source=AddressSource.LOGIN,
    )


def address_from_login_listener(person: Any, actor: Actor) -> None:
    """Login listener (``identity.login_listeners``): the address the log-in gave, if any."""
    email_address_from_login(
        actor=actor,
        user_id=person.user_id,
        address=person.email,
        language=translation.get_language() or settings.LANGUAGE_CODE,
    )


@transaction.atomic
def email_address_resend(*, actor: Actor, user_id: int) -> EmailAddress | None:
    """Send the verification link again (a new one; the old stays valid until it expires)."""
    row = EmailAddress.objects.select_for_update().filter(user_id=user_id).first()
    if row is None or row.verified_at is not None:
        return row
    _queue_verification(row)
    row.save()
    audit_record(
        actor=actor, action="notification.email_verification_resend", target=("auth.user", user_id)
    )
    return row


@transaction.atomic
def email_address_remove(*, actor: Actor, user_id: int) -> None:
    """Stop e-mailing the person: forget the address and drop their unsent e-mails."""
    deleted, _rows = EmailAddress.objects.filter(user_id=user_id).delete()
    Notification.objects.filter(recipient_id=user_id, email_state=EmailState.PENDING).update(
        email_state=EmailState.NOT_WANTED
    )
    if deleted:
        audit_record(
            actor=actor, action="notification.email_address_remove", target=("auth.user", user_id)
        )


@transaction.atomic
def email_address_verify(*, token: str) -> EmailAddress:
    """Follow a verification link: the address becomes the one notifications go to."""
    try:
        data = signing.loads(
            token, salt=_SALT, max_age=timedelta(days=settings.LUVAT_EMAIL_VERIFY_DAYS)
        )
    except signing.BadSignature:
        raise InvalidVerificationLink("bad or expired link") from None
    row = EmailAddress.objects.select_for_update().filter(user_id=data.get("u")).first()
    if row is None or row.address != data.get("a"):
        raise InvalidVerificationLink("the address has changed since the link was sent")
    if row.verified_at is None or row.undeliverable_at is not None:
        row.verified_at = timezone.now()
        row.undeliverable_at = None
        row.undeliverable_reason = ""
        row.save(update_fields=["verified_at", "undeliverable_at", "undeliverable_reason"])
        audit_record(
            actor=Actor.system("email-verification"),
            action="notification.email_address_verify",
            target=("auth.user", row.user_id),
        )
    return row


def email_address_refused(*, row: EmailAddress, reason: str) -> None:
    """A mail server refused the address permanently: stop using it and tell the person.

    Called by the sending job inside its transaction.
    """
    from luvat.notifications.services import notification_publish

    row.undeliverable_at = timezone.now()
    row.undeliverable_reason = reason[:500]
    row.save(update_fields=["undeliverable_at", "undeliverable_reason"])
    Notification.objects.filter(recipient_id=row.user_id, email_state=EmailState.PENDING).update(
        email_state=EmailState.BOUNCED, email_error=str(_("the address was refused"))
    )
    notification_publish(
        kind=NotificationKind.EMAIL_UNDELIVERABLE,
        audience=Audience(user_ids=(row.user_id,)),
        params={"address": row.address, "reason": reason[:300]},
        url=_own_page(),
    )
    audit_record(
        actor=Actor.system("email"),
        action="notification.email_address_refused",
        target=("auth.user", row.user_id),
        details={"reason": reason[:300]},
    )


def _own_page() -> str:
    # Language-neutral: notification links are followed through /<lang>/notifications/<id>/.
    return "/notifications/email/"


@transaction.atomic
def email_redeliver(*, actor: Actor, notification_ids: list[int]) -> int:
    """An administrator sends dead-lettered e-mails again (fresh attempts)."""
    count = Notification.objects.filter(
        pk__in=notification_ids, email_state=EmailState.FAILED
    ).update(
        email_state=EmailState.PENDING,
        email_attempts=0,
        email_next_attempt_at=timezone.now(),
        email_error="",
    )
    if count:
        audit_record(
            actor=actor,
            action="notification.email_redeliver",
            target=("notifications.notification", ",".join(map(str, sorted(notification_ids)))),
            details={"count": count},
        )
    return count
