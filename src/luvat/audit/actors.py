"""Who did something: the value every service function receives and records."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class ActorKind(StrEnum):
    ANONYMOUS = "anonymous"
    CUSTOMER = "customer"  # a person acting for a company
    OFFICIAL = "official"  # a person working for an authority
    ADMINISTRATOR = "administrator"  # a service-layer administrator
    AUTHORITY_SYSTEM = "authority_system"  # an authority's system calling the API
    SYSTEM = "system"  # the service itself: worker, command line, migrations


@dataclass(frozen=True)
class Actor:
    """An acting party.

    ``ref`` is a stable internal reference (user id, system name), never a
    personal identity code; ``on_behalf_of`` is the business ID or authority
    code the actor acts for, if any.
    """

    kind: ActorKind
    ref: str
    label: str = ""
    on_behalf_of: str = ""

    @classmethod
    def system(cls, name: str) -> Actor:
        return cls(kind=ActorKind.SYSTEM, ref=name, label=name)

    @classmethod
    def anonymous(cls) -> Actor:
        return cls(kind=ActorKind.ANONYMOUS, ref="")
