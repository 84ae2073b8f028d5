"""Every member-scoped table carries `member_id` (docs/scale.md, "Citus").

Past one machine the plan is Citus with `member_id` as the distribution column: a row can only be
placed on the shard of its member, and joined there without a network hop, if the member's id is a
column of that row itself, not only at the end of a chain of foreign keys. So every model with a
foreign-key path to `members.Member` must have a `member_id` column; the few that do not are listed
below with the reason, and the list is checked both ways (a fixed gap must leave the list).
"""

from __future__ import annotations

from collections import deque
from typing import NamedTuple

from django.apps import apps
from django.db import models

from members.models import Member

# label -> why it may go without `member_id` (and what Citus would need).
EXCEPTIONS: dict[str, str] = {
    # A solver's output for one centre's timetable (many children at once), replaced wholesale on
    # each solve; it is read per timetable, never per member. It is a real gap for Citus, though:
    # its FK to care.Enrolment (distributed) would need either a member_id column or dropping the
    # FK once care tables are distributed. Small table (a few rows per centre and week).
    "care.TimetableShortfall": "per-centre solver output; add member_id before distributing care",
}


class MemberPath(NamedTuple):
    label: str
    path: str


def _forward_relations(model: type[models.Model]) -> list[models.Field[object, object]]:
    """The columns of `model` that point at another row (FK and one-to-one)."""
    return [f for f in model._meta.concrete_fields if f.is_relation and f.related_model is not None]


def _path_to_member(model: type[models.Model]) -> str | None:
    """The shortest chain of foreign keys from `model` to Member ("a->b->member"), or None."""
    queue: deque[tuple[type[models.Model], list[str]]] = deque([(model, [])])
    seen: set[type[models.Model]] = {model}
    while queue:
        current, path = queue.popleft()
        for field in _forward_relations(current):
            target = field.related_model
            assert isinstance(target, type)
            if target is Member:
                return "->".join([*path, field.name])
            if target not in seen:
                seen.add(target)
                queue.append((target, [*path, field.name]))
    return None


def _member_scoped() -> list[MemberPath]:
    found = []
    for model in apps.get_models():
        if model is Member:
            continue
        path = _path_to_member(model)
        if path is not None:
            found.append(MemberPath(model._meta.label, path))
    return found


def _has_member_id(label: str) -> bool:
    model = apps.get_model(label)
    return "member_id" in {f.column for f in model._meta.concrete_fields}


def test_it_finds_the_member_scoped_models() -> None:
    # The walk itself: a model two hops away (line -> file -> member) is member-scoped.
    labels = {m.label: m.path for m in _member_scoped()}
    assert labels["claims.ClaimLine"] == "file->member"
    assert labels["claims.ClaimFile"] == "member"


def test_it_keeps_the_referentials_free_of_members() -> None:
    # Referentials become Citus reference tables (copied to every node): none may point at a member.
    scoped = [m.label for m in _member_scoped() if m.label.startswith("referentials.")]
    assert not scoped, f"referential tables that depend on a member: {scoped}"


def test_it_has_member_id_on_every_member_scoped_table() -> None:
    gaps = [
        f"{m.label} (via {m.path})"
        for m in _member_scoped()
        if m.label not in EXCEPTIONS and not _has_member_id(m.label)
    ]
    assert not gaps, f"member-scoped tables without a member_id column: {gaps}"


def test_it_keeps_the_exceptions_honest() -> None:
    # Every exception is still member-scoped and still lacks the column: a fixed gap leaves the list.
    scoped = {m.label for m in _member_scoped()}
    stale = [label for label in EXCEPTIONS if label not in scoped or _has_member_id(label)]
    assert not stale, f"exceptions to remove from EXCEPTIONS: {stale}"
