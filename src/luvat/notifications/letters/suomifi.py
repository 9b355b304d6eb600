"""The real Suomi.fi Messages client: City of Helsinki's ``django-helsinki-suomifi-messages``
(``suomifi_messages.SuomiFiClient``) against ``LUVAT_SUOMIFI_MESSAGES_URL``.

We add what the package leaves to its user: a time-out on every request (the package sets
none, and a worker must not hang) and the mapping of its errors to ours.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import requests
from django.conf import settings
from suomifi_messages.client import SuomiFiClient
from suomifi_messages.errors import (
    SuomiFiClientError,
    SuomiFiDuplicateMessageError,
    SuomiFiError,
)
from suomifi_messages.schemas import Address, BodyFormat

from luvat.notifications.letters.base import (
    MessageRejected,
    MessagesUnavailable,
    PaperCopy,
    PostalAddress,
)

TIMEOUT_SECONDS = 30


class _Client(SuomiFiClient):  # type: ignore[misc]
    def __init__(self, base_url: str) -> None:
        super().__init__("qa")
        self.base_url = base_url.rstrip("/")

    def request(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        kwargs.setdefault("timeout", TIMEOUT_SECONDS)
        return super().request(method, path, **kwargs)  # type: ignore[no-any-return]


def _address(address: PostalAddress) -> Address:
    return Address(
        name=address.name,
        street_address=address.street_address,
        zip_code=address.zip_code,
        city=address.city,
        country_code=address.country_code,
    )


def _reason(error: SuomiFiError) -> str:
    body = getattr(error, "response_body", None)
    return f"{error}: {body}" if body else str(error)


class SuomifiMessages:
    """One instance per worker batch: it logs in once (``POST /v1/token``)."""

    def __init__(self, *, base_url: str, username: str, password: str) -> None:
        self._client = _Client(base_url)
        self._username = username
        self._password = password

    @contextmanager
    def _calling(self) -> Iterator[_Client]:
        try:
            if not self._client.token:
                self._client.login(username=self._username, password=self._password)
            yield self._client
        except SuomiFiDuplicateMessageError:
            raise
        except SuomiFiClientError as refused:
            raise MessageRejected(_reason(refused)) from None
        except SuomiFiError as failed:
            raise MessagesUnavailable(_reason(failed)) from None
        except requests.RequestException as failed:
            raise MessagesUnavailable(f"{type(failed).__name__}: {failed}") from None

    def active_mailboxes(self, recipient_ids: Sequence[str]) -> set[str]:
        with self._calling() as client:
            return set(client.check_mailboxes(list(recipient_ids)))

    def upload_attachment(self, *, filename: str, content: bytes) -> str:
        with self._calling() as client:
            return str(client.upload_attachment(filename, content))

    def send_electronic(
        self,
        *,
        external_id: str,
        recipient_id: str,
        service_id: str,
        title: str,
        body: str,
        attachment_ids: Sequence[str] = (),
    ) -> str:
        try:
            with self._calling() as client:
                message_id, _external = client.send_electronic_message(
                    title=title,
                    body=body,
                    body_format=BodyFormat.TEXT,
                    recipient_id=recipient_id,
                    service_id=service_id,
                    attachment_ids=list(attachment_ids),
                    external_id=external_id,
                )
        except SuomiFiDuplicateMessageError as duplicate:
            return str(duplicate.message_id or "")
        return str(message_id)

    def send_multichannel(
        self,
        *,
        external_id: str,
        recipient_id: str,
        service_id: str,
        title: str,
        body: str,
        paper: PaperCopy,
        attachment_ids: Sequence[str] = (),
    ) -> str:
        if not (
            settings.SUOMIFI_POSTI_EMAIL
            and settings.SUOMIFI_POSTI_USERNAME
            and settings.SUOMIFI_POSTI_PASSWORD
        ):
            # A configuration error: retrying would not help.
            raise MessageRejected(
                "paper copies need the Posti printing contract (LUVAT_SUOMIFI_MESSAGES_POSTI_*)"
            )
        try:
            with self._calling() as client:
                message_id, _external = client.send_multichannel_message(
                    title=title,
                    body=body,
                    body_format=BodyFormat.TEXT,
                    recipient_id=recipient_id,
                    recipient_address=_address(paper.recipient),
                    sender_address=_address(paper.sender),
                    paper_mail_attachment_id=paper.attachment_id,
                    service_id=service_id,
                    electronic_attachment_ids=list(attachment_ids),
                    external_id=external_id,
                )
        except SuomiFiDuplicateMessageError as duplicate:
            return str(duplicate.message_id or "")
        return str(message_id)
