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

The **backward pass** counts back from the project's planned opening (``Project.starts_on``:
every permit must be decided by then):

- an application's **latest decision** is the opening, or earlier the latest submission of
  any draft that waits for it; its **latest submission** is that day minus its processing
  time, by the same rule as the forward pass counted backwards
  (``deadlines.latest_receipt_date``: submitted by then, it is expected decided in time);
- its **slack** is the days it may slip with the opening still kept: a draft's latest minus
  earliest submission; once submitted, its latest minus expected decision (the submission
  is history, the decision is what can still be late). The plan is **feasible** when no
  slack is negative, and the earliest feasible opening is the forward pass's last expected
  decision;
- an application already submitted no longer waits for its prerequisites in either pass
  (the forward pass flags it instead), so it sets no latest date for them;
- anything that depends on an unknown processing time stays unknown (``None``).

Because a period that ends on a weekend or holiday moves to the next working day, a step on
the critical chain may have a few days of slack even when the opening is the earliest
feasible one: starting later can still give the same decision day.

Property-tested in ``tests/projects/test_critical_path.py``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from luvat.projects.deadlines import expected_decision_date, latest_receipt_date


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
class LatestDates:
    """The backward pass of one application: what keeps the planned opening."""

    key: int
    latest_decision: date | None
    latest_submission: date | None
    # Days it may slip with the opening kept (see the module docstring); negative: too late.
    slack: int | None

    @property
    def late_by(self) -> int | None:
        """Days too late for the opening (a negative slack as a count), else None."""
        return -self.slack if self.slack is not None and self.slack < 0 else None


@dataclass(frozen=True)
class CriticalPath:
    dates: dict[int, PathDates]
    # The chain to the latest expected decision, first step first; empty when none is known.
    longest: tuple[int, ...]
    # Applications whose expected decision is unknown (no processing time published).
    unknown: tuple[int, ...]
    # The planned opening the backward pass counts from (None: no latest dates).
    opening: date | None = None
    latest: dict[int, LatestDates] = field(default_factory=dict)
    # Every step once, prerequisites first, then by earliest submission (the Gantt's rows).
    order: tuple[int, ...] = ()

    @property
    def expected_end(self) -> date | None:
        return self.dates[self.longest[-1]].expected_decision if self.longest else None

    @property
    def earliest_opening(self) -> date | None:
        """The earliest opening by which every permit can be decided; unknown while any
        expected decision is (a missing processing time is never guessed)."""
        return None if self.unknown else self.expected_end

    @property
    def late(self) -> tuple[int, ...]:
        """Steps with negative slack: they cannot keep the planned opening."""
        return tuple(k for k in self.order if (s := self.latest[k].slack) is not None and s < 0)

    @property
    def feasible(self) -> bool | None:
        """No slack negative; None without an opening or while a slack is unknown."""
        if self.opening is None:
            return None
        if self.late:
            return False
        return None if any(d.slack is None for d in self.latest.values()) else True

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


def critical_path(
    *, steps: Iterable[PathStep], today: date, opening: date | None = None
) -> CriticalPath:
    """Expected dates of every step, the longest chain and who was submitted too early; with
    a planned ``opening``, the latest dates and slack that keep it."""
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
        opening=opening,
        latest=_backward(by_key, dates, opening),
        order=_path_order(by_key, dates),
    )


def _backward(
    by_key: dict[int, PathStep], dates: dict[int, PathDates], opening: date | None
) -> dict[int, LatestDates]:
    """The latest dates, dependents before the steps they wait for."""
    waiting: dict[int, list[int]] = defaultdict(list)  # prerequisite -> drafts waiting for it
    for key, step in by_key.items():
        if step.submitted_on is None:
            for dependency in step.depends_on:
                if dependency in by_key:
                    waiting[dependency].append(key)
    latest: dict[int, LatestDates] = {}
    for key in reversed(_order(by_key)):
        step, forward = by_key[key], dates[key]
        decision: date | None = None
        if opening is not None:
            bounds = [latest[d].latest_submission for d in waiting[key]]
            known = [b for b in bounds if b is not None]
            if len(known) == len(bounds):
                decision = min([opening, *known])
        submission = (
            latest_receipt_date(decided_by=decision, processing_days=step.processing_days)
            if decision is not None and step.processing_days is not None
            else None
        )
        slack: int | None = None
        if step.submitted_on is None:
            if submission is not None and forward.earliest_submission is not None:
                slack = (submission - forward.earliest_submission).days
        elif decision is not None and forward.expected_decision is not None:
            slack = (decision - forward.expected_decision).days
        latest[key] = LatestDates(
            key=key, latest_decision=decision, latest_submission=submission, slack=slack
        )
    return latest


def _path_order(by_key: dict[int, PathStep], dates: dict[int, PathDates]) -> tuple[int, ...]:
    """Prerequisites first; among the steps whose prerequisites are listed, the earliest."""

    def rank(key: int) -> tuple[date, date, int]:
        d = dates[key]
        return (d.earliest_submission or date.max, d.expected_decision or date.max, key)

    needs = {k: {d for d in s.depends_on if d in by_key} for k, s in by_key.items()}
    listed: list[int] = []
    remaining = set(by_key)
    while remaining:
        ready = [k for k in remaining if needs[k].isdisjoint(remaining)]
        first = min(ready, key=rank)
        listed.append(first)
        remaining.remove(first)
    return tuple(listed)


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
