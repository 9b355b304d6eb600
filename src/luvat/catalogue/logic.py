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


def rule_reads(expression: Any, *, for_each: str = "") -> set[str]:
    """The question ids an expression reads, "not sure" tests included.

    ``{"var": "item.x"}`` in a per-item rule reads ``for_each.x``; ``{"in": ["q",
    {"var": "not_sure"}]}`` reads ``q``.
    """
    found: set[str] = set()

    def name(path: str) -> str:
        parts = path.split(".")
        if parts[0] == "item" and for_each and len(parts) > 1:
            if parts[1] == "not_sure":
                return ""
            return f"{for_each}.{parts[1]}"
        return parts[0]

    def visit(node: Any) -> None:
        if isinstance(node, list):
            for child in node:
                visit(child)
        elif isinstance(node, dict):
            for operator, argument in node.items():
                if operator == "var":
                    path = argument[0] if isinstance(argument, list) else argument
                    if isinstance(path, str) and path and name(path) not in {"", "not_sure"}:
                        found.add(name(path))
                elif (
                    operator == "in"
                    and isinstance(argument, list)
                    and len(argument) == 2
                    and isinstance(argument[0], str)
                    and isinstance(argument[1], dict)
                    and argument[1].get("var") in {"not_sure", f"item.{'not_sure'}"}
                ):
                    prefix = f"{for_each}." if argument[1]["var"] != "not_sure" else ""
                    found.add(prefix + argument[0])
                else:
                    visit(argument)

    visit(expression)
    return found
