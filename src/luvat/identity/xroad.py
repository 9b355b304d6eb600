"""The X-Road-Client header (Suomi.fi-palveluväylä REST protocol): who called through X-Road."""

from __future__ import annotations

import re
from dataclasses import dataclass

# Identifier parts: printable ASCII without the separator; members are often business IDs.
_PART = r"[A-Za-z0-9._:\-]{1,64}"
_CLIENT = re.compile(rf"^({_PART})/({_PART})/({_PART})(?:/({_PART}))?$")


@dataclass(frozen=True)
class XRoadClient:
    instance: str
    member_class: str
    member_code: str
    subsystem: str = ""

    def __str__(self) -> str:
        parts = [self.instance, self.member_class, self.member_code]
        if self.subsystem:
            parts.append(self.subsystem)
        return "/".join(parts)


def parse_x_road_client(value: str) -> XRoadClient | None:
    """``INSTANCE/CLASS/MEMBER[/SUBSYSTEM]`` or None when the header is absent or malformed."""
    match = _CLIENT.match(value.strip()) if value else None
    if match is None:
        return None
    instance, member_class, member_code, subsystem = match.groups()
    return XRoadClient(instance, member_class, member_code, subsystem or "")
