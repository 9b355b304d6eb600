"""Recognising a file by its content (magic bytes), never by its name or the browser's word."""

from __future__ import annotations

from luvat.uploads.archives import ArchiveRefused, Readable, inspect_archive

# kind → (MIME type, human name)
KINDS: dict[str, tuple[str, str]] = {
    "pdf": ("application/pdf", "PDF"),
    "png": ("image/png", "PNG"),
    "jpeg": ("image/jpeg", "JPEG"),
    "gif": ("image/gif", "GIF"),
    "tiff": ("image/tiff", "TIFF"),
    "docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "Word (DOCX)",
    ),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "Excel (XLSX)"),
    "pptx": (
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "PowerPoint (PPTX)",
    ),
    "odt": ("application/vnd.oasis.opendocument.text", "OpenDocument text (ODT)"),
    "ods": ("application/vnd.oasis.opendocument.spreadsheet", "OpenDocument spreadsheet (ODS)"),
    "zip": ("application/zip", "ZIP"),
    "ole": ("application/x-ole-storage", "old Microsoft Office"),
    "txt": ("text/plain", "text"),
    "executable": ("application/octet-stream", "program"),
    "unknown": ("application/octet-stream", "unknown"),
}
EXECUTABLES = frozenset({"executable"})
EXTENSIONS = {
    "pdf": "pdf",
    "png": "png",
    "jpg": "jpeg",
    "jpeg": "jpeg",
    "gif": "gif",
    "tif": "tiff",
    "tiff": "tiff",
    "docx": "docx",
    "xlsx": "xlsx",
    "pptx": "pptx",
    "odt": "odt",
    "ods": "ods",
    "zip": "zip",
    "doc": "ole",
    "xls": "ole",
    "txt": "txt",
    "csv": "txt",
    "exe": "executable",
}
MIME_TO_KIND = {mime: kind for kind, (mime, _name) in KINDS.items() if kind not in {"unknown"}}


def normalise_kind(declared: str) -> str:
    """A catalogue type ("pdf", ".pdf", "application/pdf") as one of :data:`KINDS`."""
    text = declared.strip().lower().lstrip(".")
    return MIME_TO_KIND.get(text) or EXTENSIONS.get(text) or text


def kind_from_name(name: str) -> str | None:
    if "." not in name:
        return None
    return EXTENSIONS.get(name.rsplit(".", 1)[1].lower(), "unknown")


def _zip_kind(stream: Readable) -> str:
    """The kind of a ZIP-based file from its directory; :class:`ArchiveRefused` past a limit."""
    try:
        facts = inspect_archive(stream)
    except ArchiveRefused as refused:
        if refused.reason == "not_an_archive":
            return "unknown"
        raise
    finally:
        stream.seek(0)
    if facts.mimetype:
        return MIME_TO_KIND.get(facts.mimetype, "zip")
    if "[Content_Types].xml" in facts.names:
        for prefix, kind in (("word/", "docx"), ("xl/", "xlsx"), ("ppt/", "pptx")):
            if any(n.startswith(prefix) for n in facts.names):
                return kind
    return "zip"


def sniff(stream: Readable) -> str:
    """The kind of file ``stream`` holds, from its first 8 KiB (for ZIP, its directory)."""
    stream.seek(0)
    head = stream.read(8192)
    stream.seek(0)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head[:6] in {b"GIF87a", b"GIF89a"}:
        return "gif"
    if head[:4] in {b"II*\x00", b"MM\x00*"}:
        return "tiff"
    if head.startswith((b"MZ", b"\x7fELF", b"\xca\xfe\xba\xbe", b"\xcf\xfa\xed\xfe", b"#!")):
        return "executable"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "ole"
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(stream)
    if head and b"\x00" not in head:
        try:
            head.decode("utf-8")
        except UnicodeDecodeError as error:
            # A multi-byte character cut at the 8 KiB boundary is still text.
            if error.start < len(head) - 4:
                return "unknown"
        return "txt"
    return "unknown"


def kind_name(kind: str) -> str:
    return KINDS.get(kind, KINDS["unknown"])[1]


def mime_type(kind: str) -> str:
    return KINDS.get(kind, KINDS["unknown"])[0]
