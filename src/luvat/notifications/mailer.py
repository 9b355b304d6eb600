"""One e-mail out through Django's e-mail backend, with the SMTP answer sorted into kinds.

- the recipient refused with a 5xx code (RCPT TO): :class:`AddressRefused`; the address is
  undeliverable and is not tried again;
- any other 5xx answer (e.g. the message refused at DATA): :class:`MessageRefused`; this
  message goes to the dead letters at once, the address stays;
- anything else (4xx, connection refused or lost, time-out): :class:`TryLater`.
"""

from __future__ import annotations

import smtplib

from django.conf import settings
from django.core.mail import EmailMessage


class DeliveryError(Exception):
    """The message did not leave; ``reason`` is safe to show an administrator."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason[:500]


class AddressRefused(DeliveryError):
    pass


class MessageRefused(DeliveryError):
    pass


class TryLater(DeliveryError):
    pass


def _text(message: bytes | str) -> str:
    return message.decode("utf-8", "replace") if isinstance(message, bytes) else str(message)


def send_one(*, to: str, subject: str, body: str) -> None:
    """Send one plain-text e-mail to one address or raise a :class:`DeliveryError`."""
    message = EmailMessage(
        subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=[to]
    )
    try:
        message.send(fail_silently=False)
    except smtplib.SMTPRecipientsRefused as refused:
        answers = list(refused.recipients.values())
        code, text = answers[0] if answers else (0, b"")
        reason = f"{code} {_text(text)}"
        if 500 <= code < 600:
            raise AddressRefused(reason) from None
        raise TryLater(reason) from None
    except smtplib.SMTPResponseException as response:
        reason = f"{response.smtp_code} {_text(response.smtp_error)}"
        if 500 <= response.smtp_code < 600:
            raise MessageRefused(reason) from None
        raise TryLater(reason) from None
    except (smtplib.SMTPException, OSError) as failure:
        raise TryLater(f"{type(failure).__name__}: {failure}") from None
