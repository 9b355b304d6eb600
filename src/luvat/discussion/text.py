"""Discussion text: plain text shown escaped, with only http(s) addresses as links."""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

URL = re.compile(r"https?://[^\s<>\"'`]+", re.IGNORECASE)
TRAILING = ".,;:!?)]}'\""
MENTION = re.compile(r"(?<![\w@])@([a-z0-9][a-z0-9-]*[a-z0-9])", re.IGNORECASE)


def _split_trailing(url: str) -> tuple[str, str]:
    """Leave closing punctuation out of the link ("see https://x.fi/a." links https://x.fi/a)."""
    end = len(url)
    while end > 0 and url[end - 1] in TRAILING:
        if url[end - 1] == ")" and url[:end].count("(") >= url[:end].count(")"):
            break
        end -= 1
    return url[:end], url[end:]


def render_message(text: str) -> SafeString:
    """HTML for a message: everything escaped, http(s) links clickable, line breaks kept."""
    parts: list[str] = []
    position = 0
    for match in URL.finditer(text):
        url, trailing = _split_trailing(match.group(0))
        parts.append(escape(text[position : match.start()]))
        if len(url) > len("https://"):
            parts.append(
                f'<a href="{escape(url)}" rel="nofollow noopener noreferrer">{escape(url)}</a>'
            )
        else:
            parts.append(escape(url))
        parts.append(escape(trailing))
        position = match.end()
    parts.append(escape(text[position:]))
    html = "".join(parts).replace("\r\n", "\n").replace("\n", "<br>\n")
    return mark_safe(html)  # noqa: S308  (every piece above is escaped)


def mentioned_authorities(text: str, authority_codes: Iterable[str]) -> list[str]:
    """Authority codes mentioned as ``@code`` (any case) among those of the project."""
    known = {code.lower(): code for code in authority_codes}
    found = {
        known[m.group(1).lower()] for m in MENTION.finditer(text) if m.group(1).lower() in known
    }
    return sorted(found)
