"""The joining phases of an authority's service and the one table of moves between them.

sounding → decided → preparing → testing → pilot → production, and back one step where the
guide allows it (a pilot that shows problems goes back to testing). Any phase can be
suspended; a suspended joining resumes at preparing, testing, pilot or production. Entering
production goes through the go-live gate (:mod:`luvat.onboarding.gate`).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Phase(models.TextChoices):
    SOUNDING = "sounding", _("sounding out")
    DECIDED = "decided", _("decided to join")
    PREPARING = "preparing", _("preparing")
    TESTING = "testing", _("testing")
    PILOT = "pilot", _("pilot")
    PRODUCTION = "production", _("in production")
    SUSPENDED = "suspended", _("suspended")


ORDER = (
    Phase.SOUNDING,
    Phase.DECIDED,
    Phase.PREPARING,
    Phase.TESTING,
    Phase.PILOT,
    Phase.PRODUCTION,
    Phase.SUSPENDED,
)

TRANSITIONS: dict[Phase, frozenset[Phase]] = {
    Phase.SOUNDING: frozenset({Phase.DECIDED, Phase.SUSPENDED}),
    Phase.DECIDED: frozenset({Phase.SOUNDING, Phase.PREPARING, Phase.SUSPENDED}),
    Phase.PREPARING: frozenset({Phase.DECIDED, Phase.TESTING, Phase.SUSPENDED}),
    Phase.TESTING: frozenset({Phase.PREPARING, Phase.PILOT, Phase.PRODUCTION, Phase.SUSPENDED}),
    Phase.PILOT: frozenset({Phase.TESTING, Phase.PRODUCTION, Phase.SUSPENDED}),
    Phase.PRODUCTION: frozenset({Phase.SUSPENDED}),
    Phase.SUSPENDED: frozenset({Phase.PREPARING, Phase.TESTING, Phase.PILOT, Phase.PRODUCTION}),
}

# Phases in which customers apply through the service layer (a pilot only for its companies).
LIVE = frozenset({Phase.PILOT, Phase.PRODUCTION})


class InvalidPhaseChange(Exception):
    """A move the phase table does not allow."""

    def __init__(self, current: str, target: str) -> None:
        super().__init__(f"cannot move a joining from {current!r} to {target!r}")
        self.current = current
        self.target = target


def allowed_targets(current: str) -> list[Phase]:
    """The phases reachable from ``current``, in the order of the joining process."""
    targets = TRANSITIONS[Phase(current)]
    return [phase for phase in ORDER if phase in targets]


def check_phase_change(current: str, target: str) -> None:
    if Phase(target) not in TRANSITIONS[Phase(current)]:
        raise InvalidPhaseChange(current, target)
