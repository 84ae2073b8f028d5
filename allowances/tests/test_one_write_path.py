"""Only the transition functions write a state: allowances/services/transitions.py a request's
(allowance_transition_apply), allowances/services/advances.py an advance's (advance_transition_apply)."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ALLOWED = {ROOT / "allowances" / "services" / "transitions.py", ROOT / "allowances" / "services" / "advances.py"}


def _writes_state(tree: ast.AST) -> list[int]:
    lines = []
    for node in ast.walk(tree):
        # `<row>.state = ...`
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Attribute) and target.attr == "state":
                    lines.append(node.lineno)
        # `AllowanceRequest.objects....update(state=...)`
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "update":
            if any(k.arg == "state" for k in node.keywords) and "AllowanceRequest" in ast.unparse(node.func.value):
                lines.append(node.lineno)
    return lines


def test_it_writes_request_states_in_the_transition_service_only() -> None:
    offenders = []
    for path in [
        *(ROOT / "allowances").rglob("*.py"),
        *(ROOT / "payments").rglob("*.py"),
        ROOT / "demo" / "allowances.py",
    ]:
        if path in ALLOWED or "tests" in path.parts or "migrations" in path.parts:
            continue
        source = path.read_text()
        if "AllowanceRequest" not in source:
            continue
        offenders += [f"{path.relative_to(ROOT)}:{n}" for n in _writes_state(ast.parse(source))]
    assert offenders == []
