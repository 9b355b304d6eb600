"""The clamd client speaks ClamAV's INSTREAM protocol to a real socket peer; the stand-in
finds the EICAR file; an infected or unscannable upload is refused before it is stored."""

from __future__ import annotations

import io
import socket
import struct
import threading
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from luvat.uploads.inspect import UploadRejected, inspect_upload
from luvat.uploads.scanning import EICAR, ClamdScanner, LocalScanner, ScannerUnavailable
from tests.samples import MINIMAL_PDF


def serve_clamd(listener: socket.socket, received: list[bytes]) -> None:
    """One clamd conversation as the daemon has it: zINSTREAM, length-prefixed chunks, 0."""
    conn, _ = listener.accept()
    with conn:
        command = b""
        while not command.endswith(b"\0"):
            command += conn.recv(1)
        assert command == b"zINSTREAM\0"
        data = b""
        while True:
            size = struct.unpack("!L", conn.recv(4, socket.MSG_WAITALL))[0]
            if size == 0:
                break
            data += conn.recv(size, socket.MSG_WAITALL)
        received.append(data)
        verdict = b"stream: Eicar-Test-Signature FOUND\0" if EICAR in data else b"stream: OK\0"
        conn.sendall(verdict)


def start(listener: socket.socket) -> list[bytes]:
    received: list[bytes] = []
    threading.Thread(target=serve_clamd, args=(listener, received), daemon=True).start()
    return received


def test_clamd_over_tcp_reports_clean_and_infected_files():
    for content, clean in ((MINIMAL_PDF * 300, True), (b"x" * 70_000 + EICAR, False)):
        listener = socket.create_server(("127.0.0.1", 0))
        port = listener.getsockname()[1]
        received = start(listener)
        result = ClamdScanner(f"tcp://127.0.0.1:{port}", timeout=5).scan(io.BytesIO(content))
        listener.close()
        assert received == [content]  # sent in several chunks, reassembled by the peer
        assert result.clean is clean
        if not clean:
            assert result.signature == "Eicar-Test-Signature"


def test_clamd_over_a_unix_socket(tmp_path: Path):
    path = str(tmp_path / "clamd.ctl")
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path)
    listener.listen(1)
    start(listener)
    assert ClamdScanner(f"unix://{path}", timeout=5).scan(io.BytesIO(EICAR)).clean is False
    listener.close()


def test_an_unreachable_clamd_refuses_the_upload():
    free = socket.create_server(("127.0.0.1", 0))
    port = free.getsockname()[1]
    free.close()
    with pytest.raises(ScannerUnavailable):
        ClamdScanner(f"tcp://127.0.0.1:{port}", timeout=2).scan(io.BytesIO(b"x"))
    with (
        override_settings(
            LUVAT_VIRUS_SCANNER="clamd", LUVAT_CLAMD_ADDRESS=f"tcp://127.0.0.1:{port}"
        ),
        pytest.raises(UploadRejected) as caught,
    ):
        inspect_upload(SimpleUploadedFile("a.pdf", MINIMAL_PDF), max_bytes=10**6)
    assert caught.value.reason == "scan_unavailable"


def test_the_stand_in_finds_eicar_and_refuses_the_file():
    assert LocalScanner().scan(io.BytesIO(b"abc" * 30_000 + EICAR)).clean is False
    assert LocalScanner().scan(io.BytesIO(MINIMAL_PDF)).clean is True
    with override_settings(LUVAT_VIRUS_SCANNER="local"), pytest.raises(UploadRejected) as caught:
        inspect_upload(SimpleUploadedFile("virus.txt", EICAR), max_bytes=10**6)
    assert caught.value.reason == "virus"
    assert "Eicar-Signature" in caught.value.message
