"""Who an audience is: the people acting for a company or working for an authority.

Notifications do not know how people and their roles are stored; the identity context
registers a resolver for each kind of audience member in its ``AppConfig.ready``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

AudienceResolver = Callable[[Iterable[Any]], set[int]]
"""Takes business IDs, authority codes or (authority code, service code) pairs; returns user
ids."""

_resolvers: dict[str, AudienceResolver] = {}


class UnresolvableAudience(Exception):
    """No resolver is registered for a kind of audience member."""


def register_audience_resolver(kind: str, resolver: AudienceResolver) -> None:
    """``kind`` is ``"company"`` (business IDs), ``"authority"`` (authority codes) or
    ``"authority_service"`` ((authority code, service code) pairs: the officials whose handling
    scope covers the service, as the identity policy decides it)."""
    _resolvers[kind] = resolver


@dataclass(frozen=True)
class Audience:
    """Who a notification is for. ``authority_services`` names an authority's officials who
    handle a service (an official limited to other services does not hear of it).
    ``exclude_user_ids`` leaves out e.g. the author of a message."""

    business_ids: tuple[str, ...] = ()
    authority_codes: tuple[str, ...] = ()
    authority_services: tuple[tuple[str, str], ...] = ()
    user_ids: tuple[int, ...] = ()
    exclude_user_ids: tuple[int, ...] = field(default=())

    def as_json(self) -> dict[str, list[Any]]:
        return {
            "business_ids": sorted(self.business_ids),
            "authority_codes": sorted(self.authority_codes),
            "authority_services": [list(pair) for pair in sorted(set(self.authority_services))],
            "user_ids": sorted(self.user_ids),
            "exclude_user_ids": sorted(self.exclude_user_ids),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Audience:
        return cls(
            business_ids=tuple(data.get("business_ids", ())),
            authority_codes=tuple(data.get("authority_codes", ())),
            authority_services=tuple(
                (str(code), str(service)) for code, service in data.get("authority_services", ())
            ),
            user_ids=tuple(int(u) for u in data.get("user_ids", ())),
            exclude_user_ids=tuple(int(u) for u in data.get("exclude_user_ids", ())),
        )


def resolve(audience: Audience) -> set[int]:
    """The user ids of everyone in ``audience``."""
    users = set(audience.user_ids)
    kinds: tuple[tuple[str, tuple[Any, ...]], ...] = (
        ("company", audience.business_ids),
        ("authority", audience.authority_codes),
        ("authority_service", audience.authority_services),
    )
    for kind, members in kinds:
        if not members:
            continue
        resolver = _resolvers.get(kind)
        if resolver is None:
            raise UnresolvableAudience(f"no resolver registered for {kind} audiences")
        users |= resolver(members)
    return users - set(audience.exclude_user_ids)
