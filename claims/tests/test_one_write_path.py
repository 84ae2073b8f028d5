"""One write path: outside the transition service, no module writes a claim file's status or its
transition rows (an AST scan of the project's sources; tests and migrations excepted)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SERVICE = {"claims/services/transitions.py", "claims/services/transitions_store.py"}
SKIPPED_DIRS = {".venv", "node_modules", "migrations", "tests", "static", "locale", ".git", "bench"}
WRITERS = {"create", "bulk_create", "get_or_create", "update_or_create", "update", "bulk_update"}
SQL_STATUS = re.compile(r"UPDATE\s+\S+(\s+\w+)?\s+SET\s+(\w+\s*=.*,\s*)?status\s*=", re.IGNORECASE | re.DOTALL)
SQL_TRANSITION = re.compile(r"(INSERT\s+INTO|COPY)\s+\"?claims_claimtransition", re.IGNORECASE)


def _root(node: ast.AST) -> str:
    """The name an attribute/call chain starts from: `ClaimFile.objects.filter(...).update` -> ClaimFile."""
    while True:
        if isinstance(node, ast.Attribute):
            node = node.value
        elif isinstance(node, ast.Call):
            node = node.func
        elif isinstance(node, ast.Subscript):
            node = node.value
        else:
            return node.id if isinstance(node, ast.Name) else ""


def _text(node: ast.AST) -> str:
    """A string literal's text, with an f-string's `{ClaimFile._meta.db_table}` read as the table."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        parts = []
        for value in node.values:
            if isinstance(value, ast.Constant):
                parts.append(str(value.value))
            elif isinstance(value, ast.FormattedValue):
                parts.append({"ClaimFile": "claims_claimfile", "ClaimTransition": "claims_claimtransition"}.get(
                    _root(value.value), "x"))  # fmt: skip
        return "".join(parts)
    return ""


def violations(source: str) -> list[str]:
    """What in `source` writes a claim's status or its transitions, one line each."""
    tree = ast.parse(source)
    claimfile_names = {"ClaimFile"}  # and the variables bound to an expression starting from it
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and _root(node.value) in claimfile_names:
            claimfile_names |= {t.id for t in node.targets if isinstance(t, ast.Name)}
        elif isinstance(node, ast.For) and _root(node.iter) in claimfile_names and isinstance(node.target, ast.Name):
            claimfile_names.add(node.target.id)
    mentions_claimfile = "ClaimFile" in source or "claims_claimfile" in source
    found: list[str] = []
    for node in ast.walk(tree):
        where = f"line {getattr(node, 'lineno', '?')}"
        if isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Name) and func.id == "ClaimTransition":
                found.append(f"{where}: ClaimTransition(...)")
            if isinstance(func, ast.Attribute) and func.attr in WRITERS and _root(func) == "ClaimTransition":
                found.append(f"{where}: ClaimTransition.objects.{func.attr}")
            if any(isinstance(a, ast.Name) and a.id == "ClaimTransition" for a in node.args):
                found.append(f"{where}: rows of ClaimTransition written by a helper")
            if isinstance(func, ast.Attribute) and func.attr == "update" and _root(func) in claimfile_names:
                if any(k.arg == "status" for k in node.keywords):
                    found.append(f"{where}: .update(status=...) on claim files")
            if isinstance(func, ast.Attribute) and func.attr == "bulk_update" and _root(func) in claimfile_names:
                if any("status" in ast.unparse(a) for a in node.args[1:]):
                    found.append(f"{where}: bulk_update of claim files' status")
        elif isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Attribute) and target.attr == "status":
                    owner = ast.unparse(target.value)
                    if _root(target) in claimfile_names or "claim" in owner.lower():
                        found.append(f"{where}: {owner}.status = ...")
        else:
            text = _text(node)
            if text and SQL_TRANSITION.search(text):
                found.append(f"{where}: SQL writing claims_claimtransition")
            if text and SQL_STATUS.search(text) and ("claims_claimfile" in text or mentions_claimfile):
                found.append(f"{where}: SQL setting a claim file's status")
    return found


def _sources() -> list[Path]:
    out = []
    for path in ROOT.rglob("*.py"):
        rel = path.relative_to(ROOT)
        if set(rel.parts[:-1]) & SKIPPED_DIRS or rel.as_posix() in SERVICE or rel.name.startswith("test_"):
            continue
        out.append(path)
    return out


def test_it_finds_no_claim_state_write_outside_the_transition_service() -> None:
    found = {path.relative_to(ROOT).as_posix(): hits for path in _sources() if (hits := violations(path.read_text()))}
    assert found == {}


@pytest.mark.parametrize(
    "source",
    [
        "ClaimTransition.objects.create(file=f, from_status='a', to_status='b', version=2)",
        "ClaimTransition.objects.bulk_create(rows)",
        "rows = [ClaimTransition(file_id=1) for _ in x]",
        "insert_rows(ClaimTransition, fields, rows)",
        "ClaimFile.objects.filter(pk__in=ids).update(status='paid')",
        "qs = ClaimFile.objects.filter(status='approved')\nqs.update(status='in_payment', version=F('version') + 1)",
        "claim = ClaimFile.objects.get(pk=1)\nclaim.status = 'paid'\nclaim.save()",
        "locked.claim.status = 'paid'",
        "ClaimFile.objects.bulk_update(objs, ['status', 'version'])",
        "cur.execute('UPDATE claims_claimfile SET status = %s WHERE id = %s', [s, i])",
        "sql = f'UPDATE {ClaimFile._meta.db_table} t SET version = s.version, status = s.status FROM x s'",
        "from claims.models import ClaimFile\nsql = f'UPDATE {table} SET status = %s WHERE id IN ({chosen})'",
        "copy('COPY claims_claimtransition (file_id) FROM STDIN')",
        "sql = f'INSERT INTO {ClaimTransition._meta.db_table} (file_id) SELECT id FROM moved'",
    ],
)
def test_it_catches_each_way_of_writing_a_claim_state(source: str) -> None:
    assert violations(source)


@pytest.mark.parametrize(
    "source",
    [
        "PriorApproval.objects.filter(pk=1).update(status='granted')",
        "payment.state = 'paid'",
        "cur.execute(f'UPDATE {ClaimLine._meta.db_table} t SET status = s.status FROM x s')",
        "ClaimTransition.objects.filter(file=claim).order_by('version')",
    ],
)
def test_it_leaves_other_models_and_reads_alone(source: str) -> None:
    assert violations(source) == []
