"""The project's critical path: expected dates of every application from the dependencies
between permits, the processing times and what has already happened.

A pure, typed function over :class:`PathStep` values (built by ``projects.selectors`` from the
applications, their status history and :func:`projects.deadlines.deadline_inputs_of`):

- an application's **earliest submission** is today (or the day it was submitted, when it
  was), but never before the expected decision of every application it must follow;
- its **expected decision** is the decision day when it is decided, the day the deadline
  arithmetic expects while it is pending (clock stops included), else its earliest submission
  plus its processing time (``deadlines.expected_decision_date``, moved off holidays);
- a date that depends on an unknown processing time is unknown (``None``): never guessed;
- an application **submitted before** one it needs was decided is flagged, not refused (the
  law lets the customer apply; the authority may then wait or refuse).

Property-tested in ``tests/projects/test_critical_path.py``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from luvat.projects.deadlines import expected_decision_date


@dataclass(frozen=True)
class PathStep:
    """What the critical path needs of one live application."""

    key: int
    processing_days: int | None
    depends_on: tuple[int, ...] = ()
    submitted_on: date | None = None
    decided_on: date | None = None
    # The deadline arithmetic's expected decision of a pending application (clock stops).
    pending_expected: date | None = None


@dataclass(frozen=True)
class PathDates:
    key: int
    earliest_submission: date | None  # the day it was submitted, once it was
    expected_decision: date | None  # the decision day, once decided
    submitted: bool
    decided: bool
    # The prerequisite whose decision sets the earliest submission (the path runs through it).
    waits_for: int | None
    # Prerequisites not decided on the day this one was submitted (submitted too early).
    submitted_before: tuple[int, ...]
    # Prerequisites not yet decided while this one is still a draft.
    pending_prerequisites: tuple[int, ...]


@dataclass(frozen=True)
class CriticalPath:
    dates: dict[int, PathDates]
    # The chain to the latest expected decision, first step first; empty when none is known.
    longest: tuple[int, ...]
    # Applications whose expected decision is unknown (no processing time published).
    unknown: tuple[int, ...]

    @property
    def expected_end(self) -> date | None:
        return self.dates[self.longest[-1]].expected_decision if self.longest else None

    @property
    def submitted_early(self) -> list[PathDates]:
        return [d for d in self.dates.values() if d.submitted_before]


class DependencyCycle(ValueError):
    """The catalogue forbids cycles (checked at load); a cycle here is a data error."""


def _order(steps: dict[int, PathStep]) -> list[int]:
    """Prerequisites first (depth-first); dependencies outside the project are ignored."""
    done: list[int] = []
    state: dict[int, int] = {}

    def visit(key: int) -> None:
        if state.get(key) == 2:
            return
        if state.get(key) == 1:
            raise DependencyCycle(key)
        state[key] = 1
        for dependency in steps[key].depends_on:
            if dependency in steps:
                visit(dependency)
        state[key] = 2
        done.append(key)

    for key in sorted(steps):
        visit(key)
    return done


def critical_path(*, steps: Iterable[PathStep], today: date) -> CriticalPath:
    """Expected dates of every step, the longest chain and who was submitted too early."""
    by_key = {step.key: step for step in steps}
    dates: dict[int, PathDates] = {}
    for key in _order(by_key):
        step = by_key[key]
        prerequisites = [d for d in step.depends_on if d in by_key]
        earliest: date | None = step.submitted_on or today
        waits_for: int | None = None
        if step.submitted_on is None:
            for dependency in prerequisites:
                decision = dates[dependency].expected_decision
                if decision is None:
                    earliest, waits_for = None, dependency
                    break
                if earliest is not None and decision > earliest:
                    earliest, waits_for = decision, dependency
        expected: date | None
        if step.decided_on is not None:
            expected = step.decided_on
        elif step.submitted_on is not None and step.pending_expected is not None:
            expected = step.pending_expected
        elif earliest is not None and step.processing_days is not None:
            expected = expected_decision_date(
                received_on=earliest, processing_days=step.processing_days
            )
        else:
            expected = None
        submitted_before: tuple[int, ...] = ()
        if step.submitted_on is not None:
            submitted_before = tuple(
                d for d in prerequisites if not _decided_by(by_key[d], step.submitted_on)
            )
        dates[key] = PathDates(
            key=key,
            earliest_submission=earliest,
            expected_decision=expected,
            submitted=step.submitted_on is not None,
            decided=step.decided_on is not None,
            waits_for=waits_for,
            submitted_before=submitted_before,
            pending_prerequisites=tuple(d for d in prerequisites if by_key[d].decided_on is None)
            if step.submitted_on is None
            else (),
        )
    return CriticalPath(
        dates=dates,
        longest=_longest(dates),
        unknown=tuple(k for k, d in dates.items() if d.expected_decision is None),
    )


def _decided_by(step: PathStep, day: date) -> bool:
    return step.decided_on is not None and step.decided_on <= day


def _longest(dates: dict[int, PathDates]) -> tuple[int, ...]:
    known = [d for d in dates.values() if d.expected_decision is not None]
    if not known:
        return ()
    last = max(known, key=lambda d: (d.expected_decision, -d.key))
    chain = [last.key]
    while (waits_for := dates[chain[-1]].waits_for) is not None:
        chain.append(waits_for)
    return tuple(reversed(chain))
