# mypy: disable-error-code="union-attr, operator, arg-type, type-var"
"""The critical path: expected dates satisfy every dependency and processing time (property
test over random dependency graphs and histories), unknown times stay unknown, and an
application submitted before the one it needs was decided is flagged."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from luvat import workdays
from luvat.projects.critical_path import PathStep, critical_path

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
