"""Architecture rules that import-linter cannot see, checked on the source (ast): one audit writer,
and views and APIs that write nothing themselves."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APPS = ("mutuelle", "accounts", "audit", "jobs", "members", "referentials", "claims", "payments", "portal", "demo")
ORM_WRITES = frozenset(
    {"create", "bulk_create", "get_or_create", "update_or_create", "update", "bulk_update", "delete"}
)
AUDIT_TABLE = "audit_auditevent"


def _modules(*, skip_app: str = "") -> Iterator[tuple[str, ast.Module]]:
    """Every project module but tests and migrations (and those of `skip_app`)."""
    for app in APPS:
        if app == skip_app:
            continue
        for path in sorted((ROOT / app).rglob("*.py")):
            parts = path.relative_to(ROOT).parts
            if "tests" in parts or "migrations" in parts:
                continue
            yield "/".join(parts), ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _chain(node: ast.AST) -> str:
    """`a.b.c` of an attribute chain (calls in between kept as `()`), for matching."""
    if isinstance(node, ast.Attribute):
        return f"{_chain(node.value)}.{node.attr}"
    if isinstance(node, ast.Call):
        return f"{_chain(node.func)}()"
    if isinstance(node, ast.Name):
        return node.id
    return "?"


def _audit_row_writes(tree: ast.Module) -> Iterator[tuple[int, str]]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            chain = _chain(node.func)
            manager_write = chain.startswith("AuditEvent.objects") and chain.rsplit(".", 1)[-1] in ORM_WRITES
            if chain == "AuditEvent" or manager_write:
                yield node.lineno, chain
            # the model handed to a bulk helper (rows_copy(AuditEvent, ...), insert_select_sql(AuditEvent, ...))
            if any(isinstance(a, ast.Name) and a.id == "AuditEvent" for a in node.args):
                yield node.lineno, f"{chain}(AuditEvent, ...)"
        elif isinstance(node, ast.Attribute) and _chain(node) == "AuditEvent._meta.db_table":
            yield node.lineno, "AuditEvent._meta.db_table (raw SQL on the audit table)"
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and AUDIT_TABLE in node.value.lower():
            yield node.lineno, f"SQL naming {AUDIT_TABLE}"


def test_no_module_outside_audit_creates_audit_rows() -> None:
    modules = _modules(skip_app="audit")
    found = [f"{path}:{line} {what}" for path, tree in modules for line, what in _audit_row_writes(tree)]
    assert found == [], "audit rows are written by audit.services only (audit_record, audit_events_write)"


def _orm_writes(tree: ast.Module) -> Iterator[tuple[int, str]]:
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
            continue
        chain, method = _chain(node.func), node.func.attr
        if method in ORM_WRITES and ".objects" in chain:
            yield node.lineno, chain
        elif method in {"save", "delete"} and not chain.startswith(("request.session", "self.request.session")):
            yield node.lineno, chain


def _views_and_apis() -> Iterator[tuple[str, ast.Module]]:
    for path, tree in _modules():
        name = path.rsplit("/", 1)[-1]
        if name.startswith(("views", "api")) and name != "apps.py":
            yield path, tree


def test_views_and_apis_make_no_orm_writes() -> None:
    found = [f"{path}:{line} {what}" for path, tree in _views_and_apis() for line, what in _orm_writes(tree)]
    assert found == [], "views and APIs validate, call a service and render: the write belongs in the service"


def test_the_scans_see_the_code_they_check() -> None:
    # A scan that reads nothing passes whatever the code: make sure both read real modules.
    views = [path for path, _ in _views_and_apis()]
    assert "members/views.py" in views and "claims/api.py" in views and len(views) > 15
    sample = ast.parse('AuditEvent.objects.bulk_create([])\nrows_copy(AuditEvent, f, r)\nx = "COPY audit_auditevent"')
    assert len(list(_audit_row_writes(sample))) == 3
    assert len(list(_orm_writes(ast.parse("Member.objects.filter(pk=1).update(x=1)\nform.save()")))) == 2


def test_it_calls_gettext_only_by_names_makemessages_extracts() -> None:
    """`gettext as _t` hid three e-mails' texts from makemessages: members got them in English."""
    import re
    from pathlib import Path

    alias = re.compile(r"from django\.utils\.translation import .*\b(gettext|ngettext|pgettext)\w* as (?!_\b)\w+")
    root = Path(__file__).resolve().parents[2]
    found = [
        f"{path.relative_to(root)}: {line.strip()}"
        for path in root.glob("*/**/*.py")
        if ".venv" not in path.parts and "node_modules" not in path.parts
        for line in path.read_text(encoding="utf-8").splitlines()
        if alias.search(line)
    ]
    assert found == []
