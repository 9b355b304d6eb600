"""The status table: no sequence of attempted changes reaches a state the table forbids."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from luvat.audit.actors import Actor, ActorKind
from luvat.projects.models import StatusEvent
from luvat.projects.services import application_add, application_status_change, project_create
from luvat.projects.status import (
    OPEN,
    TRANSITIONS,
    InvalidTransition,
    Outcome,
    Status,
    can_transition,
    check_transition,
    status_from_history,
)
from tests.projects.factories import BUSINESS_A, ServiceFactory

statuses = st.sampled_from(list(Status))


def reachable_from_draft() -> set[Status]:
    seen = {Status.DRAFT}
    frontier = [Status.DRAFT]
    while frontier:
        for target in TRANSITIONS[frontier.pop()]:
            if target not in seen:
                seen.add(target)
                frontier.append(target)
    return seen


def test_every_state_is_reachable_and_terminal_states_are_final():
    assert reachable_from_draft() == set(Status)
    for terminal in (Status.CLOSED, Status.CANCELLED, Status.WITHDRAWN):
        assert TRANSITIONS[terminal] == frozenset()


def test_cancelled_or_withdrawn_from_every_submitted_open_state():
    for state in OPEN - {Status.DRAFT}:
        assert can_transition(state, Status.CANCELLED)
        assert can_transition(state, Status.WITHDRAWN)
    assert can_transition(Status.DRAFT, Status.CANCELLED)
    assert not can_transition(Status.DRAFT, Status.DECISION_MADE)
    assert not can_transition(Status.CLOSED, Status.DRAFT)


@given(st.lists(statuses, max_size=40))
def test_random_attempts_only_ever_follow_the_table(attempts):
    current = Status.DRAFT
    history = [current]
    for target in attempts:
        if can_transition(current, target):
            check_transition(current, target)
            current = target
            history.append(current)
        else:
            with pytest.raises(InvalidTransition):
                check_transition(current, target)
    for before, after in itertools.pairwise(history):
        assert after in TRANSITIONS[before]
    assert status_from_history(history) == current


@given(st.lists(statuses, min_size=1, max_size=12))
def test_history_that_breaks_the_table_is_refused(history):
    steps = history[1:] if history[0] == Status.DRAFT else history
    legal = all(b in TRANSITIONS[a] for a, b in zip([Status.DRAFT, *steps], steps, strict=False))
    if legal:
        status_from_history(history)
    else:
        with pytest.raises(InvalidTransition):
            status_from_history(history)


OFFICIAL = Actor(kind=ActorKind.OFFICIAL, ref="user:9", on_behalf_of="AUTH")


@pytest.mark.django_db
@settings(max_examples=25, deadline=None)
@given(st.lists(st.sampled_from([s for s in Status if s != Status.DRAFT]), max_size=10))
def test_stored_applications_follow_the_table_and_cache_the_derived_status(attempts):
    service = ServiceFactory.create(code="status-machine")
    project = project_create(actor=Actor.system("t"), business_id=BUSINESS_A, name="p")
    application = application_add(project=project, service=service, actor=Actor.system("t"))
    for target in attempts:
        allowed = can_transition(application.status, target)
        try:
            application = application_status_change(
                application=application,
                status=target,
                actor=OFFICIAL,
                outcome=Outcome.GRANTED if target == Status.DECISION_MADE else "",
            )
        except InvalidTransition:
            assert not allowed
        else:
            assert allowed
    application.refresh_from_db()
    events = StatusEvent.objects.filter(application=application).order_by("occurred_at", "id")
    assert status_from_history(e.status for e in events) == application.status
