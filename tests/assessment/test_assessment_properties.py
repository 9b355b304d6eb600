"""Properties over random valid answer sets of every package."""

import random
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from luvat.assessment.questionnaire import clean_answers, compiled_package, evaluate_rules
from luvat.assessment.results import topological_order
from luvat.assessment.sampling import random_answers
from luvat.assessment.selectors import package_by_code, packages_active

TODAY = date(2027, 1, 11)
MUNICIPALITIES = ["091", "837", "564", "049", "005"]


@pytest.fixture
def compiled(catalogue):
    packages = [package_by_code(p.code) for p in packages_active()]
    return {p.code: compiled_package(p) for p in packages if p is not None}


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(seed=st.integers(min_value=0, max_value=2**32), index=st.integers(min_value=0, max_value=5))
def test_generated_answers_are_valid_and_rules_never_fail(compiled, seed, index):
    package = sorted(compiled.values(), key=lambda p: p.code)[index]
    answers = random_answers(
        package, random.Random(seed), today=TODAY, municipalities=MUNICIPALITIES
    )
    clean = clean_answers(package, answers, today=TODAY, municipalities=set(MUNICIPALITIES))
    assert clean.errors == {}
    matches = evaluate_rules(package, clean.values)
    assert {m.rule.service for m in matches} <= set(package.services)
    assert all(m.rule.tier in {"definitely", "possibly"} for m in matches)


@given(st.lists(st.sampled_from("abcdef"), unique=True), st.data())
def test_topological_order_never_puts_a_service_before_its_dependency(codes, data):
    dependencies = {}
    for i, code in enumerate(codes):  # only earlier codes: no cycles, like the loader ensures
        dependencies[code] = (
            set(data.draw(st.lists(st.sampled_from(codes[:i]), unique=True))) if i else set()
        )
    shuffled = data.draw(st.permutations(codes))
    ordered = topological_order(list(shuffled), dependencies)
    assert sorted(ordered) == sorted(codes)
    for code in ordered:
        for dependency in dependencies[code]:
            assert ordered.index(dependency) < ordered.index(code)
