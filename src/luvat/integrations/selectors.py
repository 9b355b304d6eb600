"""Reads of the integrations app, each a fixed number of queries."""

from __future__ import annotations

import time
import uuid
from typing import Any

from django.db.models import Count, Min, QuerySet

from luvat.integrations.crypto import decrypt_secret
from luvat.integrations.documents import envelope
from luvat.integrations.models import (
    AuthorityEndpoint,
    InboundEvent,
    OutboxKind,
    OutboxMessage,
    OutboxStatus,
)
from luvat.projects.models import Application


def application_for_authority_system(public_id: uuid.UUID) -> Application | None:
    """The application with its authority and service (one query), or None."""
    return (
        Application.objects.select_related("authority", "service", "project")
        .only(
            "id",
            "public_id",
            "reference",
            "status",
            "authority__code",
            "service__code",
            "project__business_id",
        )
        .filter(public_id=public_id)
        .first()
    )


def applications_for_authority_system(
    public_ids: set[uuid.UUID],
) -> dict[uuid.UUID, Application]:
    """:func:`application_for_authority_system` of several, by public id (one query)."""
    found = (
        Application.objects.select_related("authority", "service", "project")
        .only(
            "id",
            "public_id",
            "reference",
            "status",
            "authority__code",
            "service__code",
            "project__business_id",
        )
        .filter(public_id__in=public_ids)
    )
    return {application.public_id: application for application in found}


# Every status event checks its signature: each process remembers an authority's secrets for
# a few seconds. Saving an endpoint here forgets them at once (IntegrationsConfig.ready); a
# change made in another process takes effect within this time.
SECRETS_CACHE_SECONDS = 5.0
_secrets_cache: dict[str, tuple[float, list[str]]] = {}


def forget_authority_secrets(**_kwargs: object) -> None:
    _secrets_cache.clear()


def authority_secrets(authority_code: str) -> list[str]:
    """The signing secrets of the authority's enabled endpoints (at most one query)."""
    now = time.monotonic()
    cached = _secrets_cache.get(authority_code)
    if cached is not None and cached[0] > now:
        return cached[1]
    rows = AuthorityEndpoint.objects.filter(
        authority_code=authority_code, enabled=True
    ).values_list("signing_secret_encrypted", flat=True)
    secrets = [decrypt_secret(token) for token in rows if token]
    _secrets_cache[authority_code] = (now + SECRETS_CACHE_SECONDS, secrets)
    return secrets


def application_document(application: Application) -> dict[str, Any] | None:
    """The application as last delivered (envelope with fresh links), from its outbox message."""
    message = (
        OutboxMessage.objects.filter(application=application, kind=OutboxKind.APPLICATION_SUBMITTED)
        .order_by("-created_at", "-id")
        .first()
    )
    if message is None:
        return None
    return envelope(
        message_id=str(message.message_id),
        kind=message.kind,
        created_at=message.created_at,
        authority_code=message.authority_code,
        application_id=str(application.public_id),
        application_reference=message.application_reference,
        payload=message.payload,
    )


def status_events_of(application: Application) -> QuerySet[InboundEvent]:
    """The authority system's events of an application in occurrence order (one query)."""
    return InboundEvent.objects.filter(application=application).order_by("occurred_at", "id")


def outbox_summary() -> list[dict[str, Any]]:
    """Per authority and status: how many messages and the oldest (one query)."""
    return list(
        OutboxMessage.objects.values("authority_code", "status")
        .annotate(count=Count("id"), oldest=Min("created_at"))
        .order_by("authority_code", "status")
    )


def dead_letters() -> QuerySet[OutboxMessage]:
    return OutboxMessage.objects.filter(status=OutboxStatus.DEAD).order_by("-created_at")
