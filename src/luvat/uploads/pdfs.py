"""PDF files checked by a real parser (pypdf): valid structure, nothing active inside.

Refused: a file pypdf cannot read, an encrypted file (it cannot be checked), JavaScript,
Launch/ImportData/SubmitForm actions, embedded files and file-attachment annotations, rich
media, and data after the final ``%%EOF`` (the classic PDF/executable polyglot). pypdf's
decompression limits are lowered so that no stream inflates past a few megabytes while the
objects are walked.
"""

from __future__ import annotations

from typing import Any

from pypdf import PdfReader, apply_configuration
from pypdf.errors import PyPdfError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

from luvat.uploads.archives import Readable

MAX_OBJECTS = 200_000
MAX_TRAILING_BYTES = 1024
DECOMPRESSED_LIMIT = 8 * 1024 * 1024
ACTIVE_KEYS = frozenset({"/JS", "/JavaScript", "/EmbeddedFile", "/EmbeddedFiles", "/RichMedia"})
ACTIVE_ACTIONS = frozenset({"/Launch", "/JavaScript", "/ImportData", "/SubmitForm", "/Rendition"})
ACTIVE_SUBTYPES = frozenset({"/FileAttachment", "/RichMedia", "/Movie", "/Sound", "/Screen"})
EXECUTABLE_MARKS = (b"This program cannot be run in DOS mode", b"\x7fELF\x02\x01\x01")
_EOF = b"%%EOF"
_CHUNK = 64 * 1024


class PdfRefused(Exception):
    """The PDF is refused; ``reason`` is a stable code."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _scan_raw_bytes(stream: Readable) -> None:
    """Executable headers in the raw bytes and data after the last %%EOF, in bounded chunks."""
    stream.seek(0)
    offset = 0
    last_eof = -1
    carry = b""
    while True:
        chunk = stream.read(_CHUNK)
        if not chunk:
            break
        window = carry + chunk
        if any(mark in window for mark in EXECUTABLE_MARKS):
            raise PdfRefused("executable_inside")
        found = window.rfind(_EOF)
        if found >= 0:
            last_eof = offset - len(carry) + found + len(_EOF)
        offset += len(chunk)
        carry = window[-64:]
    stream.seek(0)
    if last_eof < 0:
        raise PdfRefused("invalid")
    if offset - last_eof > MAX_TRAILING_BYTES:
        raise PdfRefused("trailing_data")


def _walk(value: Any, seen: set[tuple[int, int]], budget: list[int]) -> None:
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, IndirectObject):
            ref = (item.idnum, item.generation)
            if ref in seen:
                continue
            seen.add(ref)
            budget[0] -= 1
            if budget[0] < 0:
                raise PdfRefused("too_complex")
            stack.append(item.get_object())
        elif isinstance(item, DictionaryObject):
            keys = {str(key) for key in item}
            if keys & ACTIVE_KEYS:
                raise PdfRefused("active_content")
            if str(item.get("/S", "")) in ACTIVE_ACTIONS:
                raise PdfRefused("active_content")
            if str(item.get("/Subtype", "")) in ACTIVE_SUBTYPES:
                raise PdfRefused("active_content")
            stack.extend(
                v for k, v in item.items() if not isinstance(k, NameObject) or k != "/Parent"
            )
        elif isinstance(item, ArrayObject):
            stack.extend(item)


def check_pdf(stream: Readable) -> int:
    """The page count of a safe PDF, or :class:`PdfRefused` with the reason."""
    _scan_raw_bytes(stream)
    limits = {
        "zlib_maximum_output_length": DECOMPRESSED_LIMIT,
        "lzw_maximum_output_length": DECOMPRESSED_LIMIT,
        "run_length_maximum_output_length": DECOMPRESSED_LIMIT,
        "array_based_stream_maximum_output_length": DECOMPRESSED_LIMIT,
        "maximum_declared_stream_length": DECOMPRESSED_LIMIT * 4,
        "brotli_maximum_output_length": DECOMPRESSED_LIMIT,
        "jbig2_maximum_output_length": DECOMPRESSED_LIMIT,
    }
    try:
        with apply_configuration(None, **limits):
            reader = PdfReader(stream, strict=True)  # type: ignore[arg-type]
            if reader.is_encrypted:
                raise PdfRefused("encrypted")
            pages = len(reader.pages)
            if pages == 0:
                raise PdfRefused("invalid")
            _walk(reader.trailer, set(), [MAX_OBJECTS])
    except PdfRefused:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, OSError):
        raise PdfRefused("invalid") from None
    except RecursionError:
        raise PdfRefused("too_complex") from None
    finally:
        stream.seek(0)
    return pages
