"""Encryption of secrets kept in the database (the signing secrets shared with authority systems).

Fernet (AES-128-CBC + HMAC-SHA256) with a key derived from ``LUVAT_SECRETS_KEY``,
or from ``LUVAT_SECRET_KEY`` when that is empty. A database dump alone therefore
does not reveal the secrets.
"""

from __future__ import annotations

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings


class SecretUnreadable(Exception):
    """A stored secret cannot be decrypted with the configured key."""


def _fernet() -> Fernet:
    material = settings.LUVAT_SECRETS_KEY or settings.SECRET_KEY
    key = hashlib.sha256(b"luvat.integrations.secrets:" + material.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(key))


def encrypt_secret(plain: str) -> str:
    return _fernet().encrypt(plain.encode()).decode()


def decrypt_secret(token: str) -> str:
    if not token:
        return ""
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        raise SecretUnreadable(
            "a stored signing secret cannot be decrypted: was LUVAT_SECRETS_KEY changed?"
        ) from None
