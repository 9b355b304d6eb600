"""Who an audience is: the people acting for a company or working for an authority.

Notifications do not know how people and their roles are stored; the identity context
registers a resolver for each kind of audience member in its ``AppConfig.ready``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

AudienceResolver = Callable[[Iterable[str]], set[int]]
"""Takes business IDs or authority codes, returns user ids."""

_resolvers: dict[str, AudienceResolver] = {}


class UnresolvableAudience(Exception):
    """No resolver is registered for a kind of audience member."""


def register_audience_resolver(kind: str, resolver: AudienceResolver) -> None:
    """``kind`` is ``"company"`` (business IDs) or ``"authority"`` (authority codes)."""
    _resolvers[kind] = resolver


@dataclass(frozen=True)
class Audience:
    """Who a notification is for. ``exclude_user_ids`` leaves out e.g. the author of a message."""

    business_ids: tuple[str, ...] = ()
    authority_codes: tuple[str, ...] = ()
    user_ids: tuple[int, ...] = ()
    exclude_user_ids: tuple[int, ...] = field(default=())

    def as_json(self) -> dict[str, list[Any]]:
        return {
            "business_ids": sorted(self.business_ids),
            "authority_codes": sorted(self.authority_codes),
            "user_ids": sorted(self.user_ids),
            "exclude_user_ids": sorted(self.exclude_user_ids),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Audience:
        return cls(
            business_ids=tuple(data.get("business_ids", ())),
            authority_codes=tuple(data.get("authority_codes", ())),
            user_ids=tuple(int(u) for u in data.get("user_ids", ())),
            exclude_user_ids=tuple(int(u) for u in data.get("exclude_user_ids", ())),
        )


def resolve(audience: Audience) -> set[int]:
    """The user ids of everyone in ``audience``."""
    users = set(audience.user_ids)
    for kind, members in (
        ("company", audience.business_ids),
        ("authority", audience.authority_codes),
    ):
        if not members:
            continue
        resolver = _resolvers.get(kind)
        if resolver is None:
            raise UnresolvableAudience(f"no resolver registered for {kind} audiences")
        users |= resolver(members)
    return users - set(audience.exclude_user_ids)
