"""ZIP-based documents (DOCX, XLSX, ODT …) recognised from the archive's central directory.

Nothing is ever decompressed except the few bytes of an ODF ``mimetype`` entry, read with a
bound. The end-of-central-directory record is read first so that an archive claiming too many
entries or an oversized directory is refused before :mod:`zipfile` builds its member list.
"""

from __future__ import annotations

import struct
import zipfile
from dataclasses import dataclass
from typing import IO, Protocol, cast

MAX_ENTRIES = 5_000
MAX_DIRECTORY_BYTES = 2 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
MAX_RATIO = 100
RATIO_FLOOR_BYTES = 1024 * 1024  # small members may compress as well as they like
MIMETYPE_BYTES = 100
_EOCD = b"PK\x05\x06"
_EOCD_SIZE = 22
_TAIL = _EOCD_SIZE + 0xFFFF  # the record plus the longest archive comment


class Readable(Protocol):
    def read(self, size: int = -1, /) -> bytes: ...
    def seek(self, offset: int, whence: int = 0, /) -> object: ...
    def tell(self) -> int: ...


class ArchiveRefused(Exception):
    """The archive is refused; ``reason`` is a stable code."""

    def __init__(self, reason: str, **figures: int) -> None:
        super().__init__(reason)
        self.reason = reason
        self.figures = figures


@dataclass(frozen=True)
class ArchiveFacts:
    entries: int
    uncompressed_bytes: int
    names: frozenset[str]
    mimetype: str


def _directory_size(stream: Readable) -> tuple[int, int]:
    stream.seek(0, 2)
    size = stream.tell()
    stream.seek(max(0, size - _TAIL))
    tail = stream.read(_TAIL)
    at = tail.rfind(_EOCD)
    if at < 0 or len(tail) - at < _EOCD_SIZE:
        raise ArchiveRefused("not_an_archive")
    _sig, _disk, _cd_disk, _here, entries, cd_size, _cd_offset, _comment = struct.unpack(
        "<4s4H2LH", tail[at : at + _EOCD_SIZE]
    )
    if entries == 0xFFFF or cd_size == 0xFFFFFFFF:
        raise ArchiveRefused("zip64")  # documents never need ZIP64; bombs often do
    return entries, cd_size


def inspect_archive(stream: Readable) -> ArchiveFacts:
    """What the archive declares, or :class:`ArchiveRefused` when it breaks a limit."""
    entries, cd_size = _directory_size(stream)
    if entries > MAX_ENTRIES:
        raise ArchiveRefused("too_many_entries", entries=entries, limit=MAX_ENTRIES)
    if cd_size > MAX_DIRECTORY_BYTES:
        raise ArchiveRefused("directory_too_large", limit=MAX_DIRECTORY_BYTES)
    stream.seek(0)
    try:
        archive = zipfile.ZipFile(cast(IO[bytes], stream))  # reads the central directory only
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as error:
        raise ArchiveRefused("not_an_archive") from error
    with archive:
        members = archive.infolist()
        if len(members) > MAX_ENTRIES:
            raise ArchiveRefused("too_many_entries", entries=len(members), limit=MAX_ENTRIES)
        total = 0
        for member in members:
            total += member.file_size
            ratio_applies = member.file_size > RATIO_FLOOR_BYTES
            if ratio_applies and member.file_size > MAX_RATIO * max(member.compress_size, 1):
                raise ArchiveRefused("ratio", limit=MAX_RATIO)
        if total > MAX_UNCOMPRESSED_BYTES:
            raise ArchiveRefused("unpacks_too_large", size=total, limit=MAX_UNCOMPRESSED_BYTES)
        names = frozenset(m.filename for m in members)
        mimetype = ""
        if "mimetype" in names:
            try:
                with archive.open("mimetype") as entry:
                    mimetype = entry.read(MIMETYPE_BYTES).decode("ascii", "replace").strip()
            except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError):
                raise ArchiveRefused("not_an_archive") from None
    return ArchiveFacts(
        entries=len(members), uncompressed_bytes=total, names=names, mimetype=mimetype
    )
