"""What each joining mode means: the one table every context asks instead of branching on the
mode's name.

An authority joins a service in one of three ways (docs/domain.md): an **API integration** to
its own case system, Luvat's **light e-service** in which its officials work directly, or a
**redirect** to its own e-service. Everything that differs between them is a column here.

It also holds the one hook that says who is offered a service here and in which mode
(:func:`register_offering_rule`; onboarding's pilot lists and phased adoption register it), so
that assessment and projects ask the catalogue, below them, and never onboarding.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass

from luvat.catalogue.models import JoiningMode


@dataclass(frozen=True)
class ModeMeaning:
    """What a joining mode means for an application that goes by it."""

    # The application is handled through Luvat (its officials' back office or the authority
    # system's status events): processing, supplement requests and closing happen here, and a
    # permit is decided with a document. A redirect-mode application is handled in the
    # authority's own e-service; only its arrival and the decision are recorded here.
    handled_in_luvat: bool
    # Changes are sent to the authority's own system through the outbox.
    tells_authority_system: bool
    # The customer fills in and submits the application in Luvat.
    submitted_here: bool
    # The statutory clock starts at submission (nobody else acknowledges receipt).
    submission_counts_as_receipt: bool
    # The authority may see the application while it is a draft here (the customer fills it
    # in the authority's own e-service, and the official records its arrival here).
    authority_sees_drafts: bool
    # Luvat delivers the authority's letters to the company (decisions, supplement requests):
    # to its Suomi.fi mailbox when the authority has that channel on. An authority system
    # and an authority's own e-service send their own.
    luvat_delivers_letters: bool = False


MEANINGS: dict[JoiningMode, ModeMeaning] = {
    JoiningMode.API: ModeMeaning(
        handled_in_luvat=True,
        tells_authority_system=True,
        submitted_here=True,
        submission_counts_as_receipt=False,
        authority_sees_drafts=False,
    ),
    JoiningMode.LIGHT: ModeMeaning(
        handled_in_luvat=True,
        tells_authority_system=False,
        submitted_here=True,
        submission_counts_as_receipt=True,
        authority_sees_drafts=False,
        luvat_delivers_letters=True,
    ),
    JoiningMode.REDIRECT: ModeMeaning(
        handled_in_luvat=False,
        tells_authority_system=False,
        submitted_here=False,
        submission_counts_as_receipt=False,
        authority_sees_drafts=True,
    ),
}


def meaning(mode: str) -> ModeMeaning:
    """What ``mode`` (a :class:`JoiningMode` value) means; an unknown mode raises ValueError."""
    return MEANINGS[JoiningMode(mode)]


def modes_where(**columns: bool) -> frozenset[str]:
    """The modes whose meaning has every given column value, e.g.
    ``modes_where(authority_sees_drafts=True)`` (for querysets)."""
    return frozenset(
        str(mode)
        for mode, row in MEANINGS.items()
        if all(getattr(row, name) == value for name, value in columns.items())
    )


# -- who is offered a service here, and in which mode ---------------------------------------------

Pair = tuple[str, str]  # (authority code, service code)


@dataclass(frozen=True)
class Offering:
    """Whether the service layer offers an authority's service to a company, and how.

    ``offered`` False means: apply the ordinary way (the authority's own channels).
    """

    offered: bool = True
    phase: str = ""
    pilot: bool = False
    mode: str = ""  # the joining mode in force now; empty: the catalogue's mode of the service


OfferingRule = Callable[[Collection[Pair], str], Mapping[Pair, Offering]]
_offering_rule: list[OfferingRule] = []


def register_offering_rule(rule: OfferingRule) -> None:
    """Decide, for many (authority, service) pairs at once and one company, who may apply
    here and which way new applications go (onboarding's pilot lists and phased adoption);
    without one, every service is offered to everyone in the catalogue's mode."""
    _offering_rule[:] = [rule]


def offerings_for(pairs: Iterable[Pair], *, business_id: str) -> dict[Pair, Offering]:
    """The offering of each pair to the company (empty business id: nobody in particular),
    in the registered rule's fixed number of queries however many pairs there are."""
    wanted = set(pairs)
    asked = {pair for pair in wanted if pair[0]}
    found = dict(_offering_rule[0](asked, business_id)) if _offering_rule and asked else {}
    return {pair: found.get(pair, Offering()) for pair in wanted}


def offering_for(*, authority_code: str, service_code: str, business_id: str) -> Offering:
    """:func:`offerings_for` for one pair."""
    pair = (authority_code, service_code)
    return offerings_for([pair], business_id=business_id)[pair]
