"""Random valid answer sets for a package: for the benchmark and for property tests.

Questions are answered in order and only when shown, the way a person would fill in the
form, so every set passes ``clean_answers``. Numbers favour the rules' thresholds.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from luvat.assessment.questionnaire import NOT_SURE, CompiledPackage, Question, rule_data
from luvat.catalogue.logic import data_handle, holds

INTERESTING_NUMBERS = (
    0,
    1,
    5,
    8,
    10,
    50,
    199,
    200,
    299,
    300,
    499,
    500,
    2000,
    4000,
    5000,
    7000,
    10000,
    20000,
    40000,
    50000,
    550000,
)


def _number(question: Question, rng: random.Random) -> int | float:
    low = question.minimum if question.minimum is not None else 0
    high = question.maximum if question.maximum is not None else 1_000_000
    candidates = [n for n in INTERESTING_NUMBERS if low <= n <= high]
    value: int | float = (
        rng.choice(candidates) if candidates and rng.random() < 0.7 else rng.uniform(low, high)
    )
    return int(value) if question.integer else value


def random_answers(
    package: CompiledPackage, rng: random.Random, *, today: date, municipalities: list[str]
) -> dict[str, Any]:
    values: dict[str, Any] = {q.id: q.empty() for q in package.questions}
    answers: dict[str, Any] = {}
    for question in package.questions:
        if question.show_if is not None and not holds(
            question.show_if, data_handle(rule_data(package.questions, values))
        ):
            continue
        if not question.required and rng.random() < 0.2:
            continue
        value = _answer(question, rng, today=today, municipalities=municipalities)
        answers[question.id] = value
        values[question.id] = value
    return answers


def _answer(
    question: Question, rng: random.Random, *, today: date, municipalities: list[str]
) -> Any:
    value: Any
    if question.not_sure and rng.random() < 0.15:
        return NOT_SURE
    if question.type == "repeat":
        return [
            {
                sub.id: _answer(sub, rng, today=today, municipalities=municipalities)
                for sub in question.items
            }
            for _ in range(rng.randint(1 if question.required else 0, min(3, question.max_items)))
        ]
    if question.type == "change":
        return {"before": _number(question, rng), "after": _number(question, rng)}
    if question.type == "text":
        return rng.choice(["Oy Esimerkki Ab", "Kioski", "Grilli 2"])
    if question.type == "yes_no":
        value = rng.random() < 0.5
    elif question.type == "number":
        value = _number(question, rng)
    elif question.type == "date":
        value = (
            today + timedelta(days=rng.randint(0 if question.future else -30, 400))
        ).isoformat()
    elif question.type == "choice":
        value = rng.choice(question.options).value
    elif question.type == "multi_choice":
        value = [o.value for o in question.options if rng.random() < 0.3]
        if question.required and not value:
            value = [rng.choice(question.options).value]
    else:
        value = rng.choice(municipalities)
    return value
