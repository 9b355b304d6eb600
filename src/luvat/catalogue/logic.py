"""Rules and question conditions are JSON Logic (jsonlogic.com), evaluated by datalogic-py.

One engine for the whole process, restricted to the JSON Logic core operators so that a
rule written here means the same in any other JSON Logic implementation. Expressions are
checked when the catalogue is loaded and compiled once per process.
"""

from __future__ import annotations

from typing import Any

from datalogic_py import CompileError, DataHandle, Engine, Rule

ENGINE = Engine(families=[])


def expression_problems(expression: Any) -> list[str]:
    """Why ``expression`` is not a valid JSON Logic expression (empty when it is)."""
    try:
        diagnostics = ENGINE.check(expression)
    except Exception as exc:
        return [str(exc)]
    return [
        f"{d['message']} (at {d['pointer'] or '/'})"
        for d in diagnostics
        if d["severity"] == "error"
    ]


def expression_reads(expression: Any) -> set[str]:
    """The top-level data keys (question ids) an expression reads."""
    facts = ENGINE.compile(expression).facts()
    return {path[0] for path in facts["reads"] if path}


def compile_expression(expression: Any) -> Rule:
    try:
        return ENGINE.compile_checked(expression)
    except CompileError as exc:
        raise ValueError("; ".join(d["message"] for d in exc.diagnostics)) from exc


def data_handle(data: dict[str, Any]) -> DataHandle:
    return DataHandle(data)


def holds(rule: Rule, data: DataHandle) -> bool:
    """JSON Logic truthiness of ``rule`` on ``data``."""
    return ENGINE.truthy(rule.evaluate_data_str(data))
