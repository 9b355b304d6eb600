"""Brute-force protection for log-ins that take a secret (admin password, test IdP code).

Failures are counted per scope and key (user name, client address), stored as digests in the
database so that every process shares them. Too many failures lock the key for a while.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from luvat.identity.models import LoginThrottle


def _digest(key: str) -> str:
    return hashlib.sha256(key.strip().lower().encode()).hexdigest()


def _window() -> timedelta:
    return timedelta(minutes=settings.LUVAT_LOGIN_LOCKOUT_MINUTES)


def throttle_locked_until(*, scope: str, keys: Iterable[str]) -> datetime | None:
    """When the lock on any of ``keys`` ends, or None when none is locked."""
    now = timezone.now()
    digests = [_digest(key) for key in keys if key]
    locks = [
        until
        for until in LoginThrottle.objects.filter(
            scope=scope, key_digest__in=digests, locked_until__gt=now
        ).values_list("locked_until", flat=True)
        if until is not None
    ]
    return max(locks, default=None)


def throttle_failure(*, scope: str, keys: Iterable[str], limit: int | None = None) -> None:
    """Count one failed attempt for each key; lock a key that reaches ``limit`` failures
    (``LUVAT_LOGIN_MAX_FAILURES`` unless given). Each key is counted and locked by itself."""
    now = timezone.now()
    limit = settings.LUVAT_LOGIN_MAX_FAILURES if limit is None else limit
    for key in keys:
        if not key:
            continue
        digest = _digest(key)
        with transaction.atomic():
            row = (
                LoginThrottle.objects.select_for_update()
                .filter(scope=scope, key_digest=digest)
                .first()
            )
            if row is None:
                try:
                    with transaction.atomic():
                        row = LoginThrottle.objects.create(scope=scope, key_digest=digest)
                except IntegrityError:
                    row = LoginThrottle.objects.select_for_update().get(
                        scope=scope, key_digest=digest
                    )
            if row.first_failure_at < now - _window():
                row.failures = 0
                row.first_failure_at = now
                row.save(update_fields=["failures", "first_failure_at"])
            LoginThrottle.objects.filter(pk=row.pk).update(failures=F("failures") + 1)
            row.refresh_from_db(fields=["failures"])
            if row.failures >= limit:
                row.locked_until = now + _window()
                row.save(update_fields=["locked_until"])


def throttle_reset(*, scope: str, keys: Iterable[str]) -> None:
    """A successful log-in clears the user name's count (not the address's lock)."""
    digests = [_digest(key) for key in keys if key]
    LoginThrottle.objects.filter(
        scope=scope, key_digest__in=digests, locked_until__isnull=True
    ).delete()
