"""The test setup itself: property tests cannot fail on timing (the two that failed under load,
because a loaded machine let one example pass hypothesis's 200 ms deadline)."""

from __future__ import annotations

import hypothesis

from tests.assessment import test_assessment_properties as assessment_properties
from tests.identity import test_eauthorizations as eauthorizations


def test_the_profile_has_no_deadline_and_no_example_database() -> None:
    current = hypothesis.settings()
    assert current.deadline is None
    assert current.database is None


def test_the_tests_that_were_flaky_under_load_run_without_a_deadline() -> None:
    for test in (
        eauthorizations.test_header_for_another_path_does_not_verify,
        assessment_properties.test_topological_order_never_puts_a_service_before_its_dependency,
    ):
        effective = test._hypothesis_internal_use_settings  # type: ignore[attr-defined]
        assert effective.deadline is None, test.__name__
