"""Virus scanning of uploads before they are stored: ClamAV's clamd, or a stand-in.

``LUVAT_VIRUS_SCANNER`` chooses the backend: ``none`` (no scan), ``local`` (the stand-in: it
finds the EICAR test signature, as ClamAV does, and nothing else) or ``clamd`` (ClamAV's
daemon at ``LUVAT_CLAMD_ADDRESS``, ``tcp://host:port`` or ``unix:///path``). The clamd client
is our own small implementation of the documented INSTREAM command (see docs/architecture.md
for why). A scanner that cannot be reached refuses the file: nothing unscanned is offered.
"""

from __future__ import annotations

import socket
import struct
from dataclasses import dataclass
from typing import Protocol
from urllib.parse import urlsplit

from django.conf import settings

from luvat.uploads.archives import Readable

CHUNK = 64 * 1024
EICAR = b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"


class ScannerUnavailable(Exception):
    """The scanner could not give an answer (down, timed out, size limit, protocol error)."""


@dataclass(frozen=True)
class ScanResult:
    clean: bool
    signature: str = ""


class VirusScanner(Protocol):
    def scan(self, stream: Readable) -> ScanResult: ...


class NoScanner:
    def scan(self, stream: Readable) -> ScanResult:
        return ScanResult(clean=True)


class LocalScanner:
    """The stand-in: reports the EICAR test file the way clamd names it."""

    def scan(self, stream: Readable) -> ScanResult:
        stream.seek(0)
        carry = b""
        try:
            while chunk := stream.read(CHUNK):
                if EICAR in carry + chunk:
                    return ScanResult(clean=False, signature="Eicar-Signature")
                carry = chunk[-len(EICAR) :]
        finally:
            stream.seek(0)
        return ScanResult(clean=True)


class ClamdScanner:
    """ClamAV's clamd over TCP or a unix socket, with the null-terminated ``zINSTREAM``."""

    def __init__(self, address: str, *, timeout: float = 30.0) -> None:
        self.address = address
        self.timeout = timeout

    def _connect(self) -> socket.socket:
        parts = urlsplit(self.address)
        try:
            if parts.scheme == "unix":
                sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                sock.settimeout(self.timeout)
                sock.connect(parts.path)
                return sock
            if parts.scheme == "tcp" and parts.hostname and parts.port:
                return socket.create_connection((parts.hostname, parts.port), self.timeout)
        except OSError as error:
            raise ScannerUnavailable(f"clamd at {self.address}: {error}") from error
        raise ScannerUnavailable(f"clamd address {self.address!r} is not tcp://… or unix://…")

    def scan(self, stream: Readable) -> ScanResult:
        stream.seek(0)
        try:
            with self._connect() as sock:
                sock.sendall(b"zINSTREAM\0")
                while chunk := stream.read(CHUNK):
                    sock.sendall(struct.pack("!L", len(chunk)) + chunk)
                sock.sendall(struct.pack("!L", 0))
                reply = b""
                while b"\0" not in reply and len(reply) < 4096:
                    part = sock.recv(4096)
                    if not part:
                        break
                    reply += part
        except OSError as error:
            raise ScannerUnavailable(f"clamd at {self.address}: {error}") from error
        finally:
            stream.seek(0)
        return parse_reply(reply.split(b"\0", 1)[0].decode("utf-8", "replace"))


def parse_reply(reply: str) -> ScanResult:
    """``stream: OK``, ``stream: <name> FOUND`` or ``… ERROR`` (clamd's documented replies)."""
    text = reply.strip()
    _, _, verdict = text.partition(": ")
    if verdict == "OK":
        return ScanResult(clean=True)
    if verdict.endswith(" FOUND"):
        return ScanResult(clean=False, signature=verdict.removesuffix(" FOUND").strip())
    raise ScannerUnavailable(f"clamd answered {text[:200]!r}")


def scanner() -> VirusScanner:
    backend = settings.LUVAT_VIRUS_SCANNER
    if backend == "clamd":
        return ClamdScanner(
            settings.LUVAT_CLAMD_ADDRESS, timeout=settings.LUVAT_CLAMD_TIMEOUT_SECONDS
        )
    if backend == "local":
        return LocalScanner()
    return NoScanner()
