# mypy: disable-error-code="union-attr, operator, arg-type, type-var"
"""The critical path: expected dates satisfy every dependency and processing time (property
test over random dependency graphs and histories), unknown times stay unknown, and an
application submitted before the one it needs was decided is flagged. The backward pass from
the planned opening: every latest date keeps every dependency and processing time, the slack
is never negative exactly when the plan is feasible, and at the earliest feasible opening
the critical chain has no slack but what the weekend and holiday rule leaves."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from luvat import workdays
from luvat.projects.critical_path import CriticalPath, PathStep, critical_path
from luvat.projects.deadlines import expected_decision_date

TODAY = date(2027, 3, 1)


@st.composite
def plans(draw: st.DrawFn) -> list[PathStep]:
    """A random acyclic project: keys shuffled so that the input order says nothing, each step
    a draft, pending at the authority, or decided, with a known or unpublished time."""
    n = draw(st.integers(min_value=0, max_value=9))
    keys = draw(st.permutations(list(range(100, 100 + n))))
    steps = []
    for index, key in enumerate(keys):
        # Only earlier positions may be needed: the graph stays acyclic whatever the keys.
        depends_on = tuple(
            draw(st.lists(st.sampled_from(keys[:index]), unique=True, max_size=3)) if index else ()
        )
        processing = draw(st.one_of(st.none(), st.integers(min_value=0, max_value=400)))
        state = draw(st.sampled_from(["draft", "pending", "decided"]))
        submitted = decided = pending = None
        if state != "draft":
            submitted = TODAY - timedelta(days=draw(st.integers(min_value=0, max_value=300)))
        if state == "pending":
            pending = draw(st.one_of(st.none(), st.just(submitted + timedelta(days=45))))
        if state == "decided":
            decided = submitted + timedelta(  # type: ignore[operator]
                days=draw(st.integers(min_value=0, max_value=(TODAY - submitted).days))  # type: ignore[operator]
            )
        steps.append(
            PathStep(
                key=key,
                processing_days=processing,
                depends_on=depends_on,
                submitted_on=submitted,
                decided_on=decided,
                pending_expected=pending,
            )
        )
    return steps


@settings(max_examples=300, deadline=None)
@given(plans())
def test_dates_satisfy_every_dependency_and_processing_time(steps):
    path = critical_path(steps=steps, today=TODAY)
    by_key = {s.key: s for s in steps}
    assert set(path.dates) == set(by_key)
    for step in steps:
        dates = path.dates[step.key]
        needed = [path.dates[d] for d in step.depends_on]
        if step.submitted_on is None:
            if any(n.expected_decision is None for n in needed):
                # Never guessed: a prerequisite without an expected decision leaves it unknown.
                assert dates.earliest_submission is None
                assert dates.expected_decision is None
                continue
            # Not before today, not before any decision it must follow, and no later than
            # the latest of them: the earliest feasible day.
            assert dates.earliest_submission is not None
            assert dates.earliest_submission >= TODAY
            for other in needed:
                assert dates.earliest_submission >= other.expected_decision  # type: ignore[operator]
            assert dates.earliest_submission == max(
                [TODAY, *(n.expected_decision for n in needed)]  # type: ignore[type-var]
            )
            assert dates.submitted_before == ()
            assert set(dates.pending_prerequisites) == {
                d for d in step.depends_on if by_key[d].decided_on is None
            }
        else:
            assert dates.earliest_submission == step.submitted_on
            assert set(dates.submitted_before) == {
                d
                for d in step.depends_on
                if by_key[d].decided_on is None or by_key[d].decided_on > step.submitted_on  # type: ignore[operator]
            }
        if step.decided_on is not None:
            assert dates.expected_decision == step.decided_on
        elif step.submitted_on is not None and step.pending_expected is not None:
            assert dates.expected_decision == step.pending_expected
        elif step.processing_days is None:
            assert dates.expected_decision is None
        else:
            start = dates.earliest_submission
            assert start is not None
            # The processing time in full, then off weekends and holidays (law 150/1930 §5).
            assert dates.expected_decision == workdays.statutory_deadline(
                start, step.processing_days
            )
            assert dates.expected_decision >= start + timedelta(days=step.processing_days)
            assert workdays.is_working_day(dates.expected_decision)
    # The longest path is a chain of dependencies ending at the latest expected decision.
    known = [d.expected_decision for d in path.dates.values() if d.expected_decision]
    if known:
        assert path.expected_end == max(known)
        for before, after in zip(path.longest, path.longest[1:], strict=False):
            assert before in by_key[after].depends_on
            assert path.dates[after].earliest_submission == path.dates[before].expected_decision
    else:
        assert path.longest == ()
    assert set(path.unknown) == {k for k, d in path.dates.items() if d.expected_decision is None}


def test_a_chain_adds_up_its_processing_times():
    plan = [
        PathStep(key=1, processing_days=30),
        PathStep(key=2, processing_days=14, depends_on=(1,)),
        PathStep(key=3, processing_days=None, depends_on=(2,)),
        PathStep(key=4, processing_days=10),
    ]
    path = critical_path(steps=plan, today=TODAY)
    first = workdays.statutory_deadline(TODAY, 30)
    second = workdays.statutory_deadline(first, 14)
    assert path.dates[2].earliest_submission == first
    assert path.dates[2].expected_decision == second
    assert path.dates[3].earliest_submission == second
    assert path.dates[3].expected_decision is None  # no processing time: not guessed
    assert path.longest == (1, 2)
    assert path.expected_end == second
    assert path.unknown == (3,)


def test_submitting_before_the_needed_decision_is_flagged_not_refused():
    plan = [
        PathStep(key=1, processing_days=30, submitted_on=TODAY - timedelta(days=3)),
        PathStep(
            key=2, processing_days=14, depends_on=(1,), submitted_on=TODAY - timedelta(days=1)
        ),
        PathStep(key=3, processing_days=14, depends_on=(1,)),
    ]
    path = critical_path(steps=plan, today=TODAY)
    assert path.dates[2].submitted_before == (1,)
    assert path.dates[2].earliest_submission == TODAY - timedelta(days=1)
    assert path.dates[3].pending_prerequisites == (1,)
    assert [d.key for d in path.submitted_early] == [2]


def test_a_decision_before_the_submission_is_fine():
    plan = [
        PathStep(
            key=1,
            processing_days=30,
            submitted_on=TODAY - timedelta(days=40),
            decided_on=TODAY - timedelta(days=10),
        ),
        PathStep(
            key=2, processing_days=14, depends_on=(1,), submitted_on=TODAY - timedelta(days=5)
        ),
    ]
    path = critical_path(steps=plan, today=TODAY)
    assert path.dates[2].submitted_before == ()
    assert path.submitted_early == []


openings = st.one_of(
    st.none(), st.dates(min_value=TODAY - timedelta(days=60), max_value=TODAY + timedelta(4000))
)


def waiting_drafts(steps: list[PathStep], key: int) -> list[PathStep]:
    """The drafts that must wait for ``key``'s decision (a submitted one no longer waits)."""
    return [s for s in steps if s.submitted_on is None and key in s.depends_on]


@settings(max_examples=300, deadline=None)
@given(plans(), openings)
def test_every_latest_date_keeps_every_dependency_and_processing_time(steps, opening):
    path = critical_path(steps=steps, today=TODAY, opening=opening)
    assert set(path.latest) == {s.key for s in steps}
    assert sorted(path.order) == sorted(s.key for s in steps)
    position = {key: index for index, key in enumerate(path.order)}
    for step in steps:
        assert all(position[d] < position[step.key] for d in step.depends_on)
    for step in steps:
        latest = path.latest[step.key]
        forward = path.dates[step.key]
        if opening is None:
            assert latest.latest_decision is None and latest.latest_submission is None
            assert latest.slack is None
            continue
        # Decided by the opening and before every draft that waits for it may be submitted.
        bounds = [path.latest[d.key].latest_submission for d in waiting_drafts(steps, step.key)]
        if None in bounds:
            assert latest.latest_decision is None  # unknown downstream: not guessed
        else:
            assert latest.latest_decision == min([opening, *bounds])
            assert latest.latest_decision <= opening
        if step.processing_days is None or latest.latest_decision is None:
            assert latest.latest_submission is None
        else:
            # Submitted on the latest day, the decision is expected in time; a day later, not.
            decided_by = latest.latest_decision
            day = latest.latest_submission
            assert day is not None
            assert (
                expected_decision_date(received_on=day, processing_days=step.processing_days)
                <= decided_by
            )
            assert (
                expected_decision_date(
                    received_on=day + timedelta(days=1), processing_days=step.processing_days
                )
                > decided_by
            )
        # Slack: a draft's room to submit later; a submitted one's room to be decided later.
        if step.submitted_on is None:
            if latest.latest_submission is None or forward.earliest_submission is None:
                assert latest.slack is None
            else:
                assert latest.slack == (latest.latest_submission - forward.earliest_submission).days
                # Same sign as the decision's room: one rule forwards and backwards.
                assert (latest.slack >= 0) == (forward.expected_decision <= latest.latest_decision)
        elif latest.latest_decision is None or forward.expected_decision is None:
            assert latest.slack is None
        else:
            assert latest.slack == (latest.latest_decision - forward.expected_decision).days


@settings(max_examples=300, deadline=None)
@given(plans(), openings)
def test_slack_is_never_negative_exactly_when_the_plan_is_feasible(steps, opening):
    path = critical_path(steps=steps, today=TODAY, opening=opening)
    slacks = [d.slack for d in path.latest.values()]
    if opening is None:
        assert path.feasible is None
    elif any(s is not None and s < 0 for s in slacks):
        assert path.feasible is False
        assert set(path.late) == {k for k, d in path.latest.items() if d.slack and d.slack < 0}
    elif None in slacks:
        assert path.feasible is None
    else:
        assert path.feasible is True
        assert path.late == ()
        # Feasible: every expected decision comes by its latest decision.
        for key, latest in path.latest.items():
            assert path.dates[key].expected_decision <= latest.latest_decision
    if opening is not None and path.earliest_opening is not None:
        # All times known: feasible exactly from the earliest feasible opening on.
        assert path.feasible is (opening >= path.earliest_opening)


def rounding(path: CriticalPath, step: PathStep) -> int:
    """Days the weekend and holiday rule added to a draft's expected decision."""
    if step.submitted_on is not None:
        return 0
    start = path.dates[step.key].earliest_submission
    return (path.dates[step.key].expected_decision - start).days - step.processing_days


@settings(max_examples=300, deadline=None)
@given(plans())
def test_at_the_earliest_feasible_opening_the_critical_chain_has_no_slack(steps):
    planned = critical_path(steps=steps, today=TODAY)
    end = planned.earliest_opening
    if end is None:
        return
    path = critical_path(steps=steps, today=TODAY, opening=end)
    assert path.feasible is True
    assert path.earliest_opening == end
    by_key = {s.key: s for s in steps}
    last = path.longest[-1]
    # The last decision of the chain is due exactly on the opening.
    assert path.latest[last].latest_decision == path.dates[last].expected_decision == end
    # Along the chain, the only slack is what moving decisions off weekends and holidays left
    # (a later start can give the same decision day): none when no decision was moved.
    left = 0
    for key in reversed(path.longest):
        left += rounding(path, by_key[key])
        assert 0 <= path.latest[key].slack <= left
    # A day earlier cannot be kept, and the chain's last step is what is late.
    earlier = critical_path(steps=steps, today=TODAY, opening=end - timedelta(days=1))
    assert earlier.feasible is False
    assert last in earlier.late


def test_a_chain_with_working_day_decisions_has_zero_slack_at_its_expected_end():
    # Monday 1.3.2027 + 3 days: Thursday 4.3.; + 7 days: Thursday 11.3. (no moved deadline).
    plan = [
        PathStep(key=1, processing_days=3),
        PathStep(key=2, processing_days=7, depends_on=(1,)),
        PathStep(key=3, processing_days=1),
    ]
    path = critical_path(steps=plan, today=TODAY, opening=date(2027, 3, 11))
    assert path.earliest_opening == date(2027, 3, 11)
    assert path.longest == (1, 2)
    assert [path.latest[k].slack for k in (1, 2, 3)] == [0, 0, 9]
    assert path.latest[1].latest_decision == date(2027, 3, 4)
    assert path.latest[2].latest_submission == date(2027, 3, 4)
    assert path.latest[1].latest_submission == TODAY
    assert path.feasible is True
    # Prerequisites first, then by earliest submission and expected decision (2.3. first).
    assert path.order == (3, 1, 2)


def test_an_opening_too_early_is_infeasible_and_names_the_late_steps():
    plan = [
        PathStep(key=1, processing_days=30),
        PathStep(key=2, processing_days=14, depends_on=(1,)),
        PathStep(key=3, processing_days=None),
    ]
    path = critical_path(steps=plan, today=TODAY, opening=TODAY + timedelta(days=30))
    assert path.feasible is False
    assert path.late == (1, 2)
    assert path.latest[3].slack is None  # no processing time: unknown, not guessed
    assert path.earliest_opening is None  # step 3's decision cannot be expected
    assert path.expected_end == workdays.statutory_deadline(
        workdays.statutory_deadline(TODAY, 30), 14
    )


def test_without_an_opening_there_are_no_latest_dates():
    path = critical_path(steps=[PathStep(key=1, processing_days=30)], today=TODAY)
    assert path.latest[1].latest_decision is None
    assert path.feasible is None
