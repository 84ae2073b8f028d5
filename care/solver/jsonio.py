"""The JSON format of an instance and of a solution: strict parsing (every error names its path) and dumping.

A bad field raises InstanceError with a code and its parameters (for a page to translate) and an
English message naming the path, e.g. `children[3].plan[1].therapy: unknown therapy 'speach'`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from care.solver.model import Child, Instance, PlanItem, Room, Session, Slot, Solution, Status, Therapist, Unmet

T = TypeVar("T")

MAX_DAYS = 7
MAX_SLOTS_PER_DAY = 48  # 30-minute slots: a whole day
MAX_ID_LENGTH = 100

_MESSAGES = {
    "not_object": "expected an object",
    "not_list": "expected a list",
    "not_integer": "expected an integer",
    "not_string": "expected a non-empty string",
    "not_number": "expected a number",
    "missing_field": "missing field {field!r}",
    "unknown_field": "unknown field {field!r}",
    "out_of_range": "{value} is out of range {low}..{high}",
    "duplicate_id": "duplicate id {id!r}",
    "duplicate_therapy": "therapy {therapy!r} listed twice",
    "duplicate_slot": "slot [{day}, {slot}] listed twice",
    "duplicate_plan": "therapy {therapy!r} with length {length} planned twice",
    "unknown_therapy": "unknown therapy {therapy!r}",
    "unknown_id": "unknown {kind} {id!r}",
    "not_a_slot": "expected [day, slot]",
    "sessions_over_days": "{sessions} sessions of {therapy!r} in a week of {days} days (at most one a day)",
    "bad_status": "status must be one of {choices}",
}


class InstanceError(ValueError):
    """An instance or solution that does not follow the format; `path` locates the bad field."""

    def __init__(self, path: str, code: str, **params: Any) -> None:
        self.path, self.code, self.params = path or "$", code, params
        super().__init__(f"{self.path}: {_MESSAGES[code].format(**params)}")


def _object(data: object, path: str, required: tuple[str, ...], optional: tuple[str, ...] = ()) -> Mapping[str, Any]:
    if not isinstance(data, dict):
        raise InstanceError(path, "not_object")
    for key in data:
        if key not in required and key not in optional:
            raise InstanceError(_join(path, str(key)), "unknown_field", field=key)
    for key in required:
        if key not in data:
            raise InstanceError(path, "missing_field", field=key)
    return data


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _list(data: object, path: str, item: Callable[[object, str], T]) -> list[T]:
    if not isinstance(data, list):
        raise InstanceError(path, "not_list")
    return [item(value, f"{path}[{i}]") for i, value in enumerate(data)]


def _int(data: object, path: str, low: int, high: int) -> int:
    # bool is an int in Python; true is no number of sessions.
    if not isinstance(data, int) or isinstance(data, bool):
        raise InstanceError(path, "not_integer")
    if not low <= data <= high:
        raise InstanceError(path, "out_of_range", value=data, low=low, high=high)
    return data


def _str(data: object, path: str) -> str:
    if not isinstance(data, str) or not data or len(data) > MAX_ID_LENGTH:
        raise InstanceError(path, "not_string")
    return data


def _unique_ids(rows: list[Any], path: str) -> None:
    seen: set[str] = set()
    for i, row in enumerate(rows):
        if row.id in seen:
            raise InstanceError(f"{path}[{i}].id", "duplicate_id", id=row.id)
        seen.add(row.id)


class _Parser:
    def __init__(self, days: int, slots_per_day: int, therapies: frozenset[str]) -> None:
        self.days, self.slots_per_day, self.therapies = days, slots_per_day, therapies

    def therapy(self, data: object, path: str) -> str:
        name = _str(data, path)
        if name not in self.therapies:
            raise InstanceError(path, "unknown_therapy", therapy=name)
        return name

    def therapy_set(self, data: object, path: str) -> frozenset[str]:
        names = _list(data, path, self.therapy)
        for i, name in enumerate(names):
            if name in names[:i]:
                raise InstanceError(f"{path}[{i}]", "duplicate_therapy", therapy=name)
        return frozenset(names)

    def slot(self, data: object, path: str) -> Slot:
        if not isinstance(data, list) or len(data) != 2:
            raise InstanceError(path, "not_a_slot")
        return Slot(
            _int(data[0], f"{path}[0]", 0, self.days - 1), _int(data[1], f"{path}[1]", 0, self.slots_per_day - 1)
        )

    def slots(self, data: object, path: str) -> frozenset[Slot]:
        slots = _list(data, path, self.slot)
        seen: set[Slot] = set()
        for i, slot in enumerate(slots):
            if slot in seen:
                raise InstanceError(f"{path}[{i}]", "duplicate_slot", day=slot.day, slot=slot.slot)
            seen.add(slot)
        return frozenset(seen)

    def room(self, data: object, path: str) -> Room:
        row = _object(data, path, ("id", "therapies"))
        return Room(id=_str(row["id"], f"{path}.id"), therapies=self.therapy_set(row["therapies"], f"{path}.therapies"))

    def therapist(self, data: object, path: str) -> Therapist:
        row = _object(data, path, ("id", "therapies", "available"))
        return Therapist(
            id=_str(row["id"], f"{path}.id"),
            therapies=self.therapy_set(row["therapies"], f"{path}.therapies"),
            available=self.slots(row["available"], f"{path}.available"),
        )

    def plan_item(self, data: object, path: str) -> PlanItem:
        row = _object(data, path, ("therapy", "sessions", "length"))
        return PlanItem(
            therapy=self.therapy(row["therapy"], f"{path}.therapy"),
            sessions=_int(row["sessions"], f"{path}.sessions", 1, self.days),
            length=_int(row["length"], f"{path}.length", 1, self.slots_per_day),
        )

    def child(self, data: object, path: str) -> Child:
        row = _object(data, path, ("id", "available", "plan"))
        plan = _list(row["plan"], f"{path}.plan", self.plan_item)
        per_therapy: dict[str, int] = {}
        for i, item in enumerate(plan):
            if any((other.therapy, other.length) == (item.therapy, item.length) for other in plan[:i]):
                raise InstanceError(f"{path}.plan[{i}]", "duplicate_plan", therapy=item.therapy, length=item.length)
            per_therapy[item.therapy] = per_therapy.get(item.therapy, 0) + item.sessions
            if per_therapy[item.therapy] > self.days:
                raise InstanceError(
                    f"{path}.plan[{i}].sessions",
                    "sessions_over_days",
                    sessions=per_therapy[item.therapy],
                    therapy=item.therapy,
                    days=self.days,
                )
        return Child(
            id=_str(row["id"], f"{path}.id"),
            available=self.slots(row["available"], f"{path}.available"),
            plan=tuple(plan),
        )


def instance_parse(data: object) -> Instance:
    """The Instance described by a decoded JSON value; raises InstanceError on the first bad field."""
    top = _object(data, "", ("days", "slots_per_day", "therapies", "rooms", "therapists", "children"))
    days = _int(top["days"], "days", 1, MAX_DAYS)
    slots_per_day = _int(top["slots_per_day"], "slots_per_day", 1, MAX_SLOTS_PER_DAY)
    names = _list(top["therapies"], "therapies", _str)
    for i, name in enumerate(names):
        if name in names[:i]:
            raise InstanceError(f"therapies[{i}]", "duplicate_therapy", therapy=name)
    parser = _Parser(days, slots_per_day, frozenset(names))
    rooms = _list(top["rooms"], "rooms", parser.room)
    therapists = _list(top["therapists"], "therapists", parser.therapist)
    children = _list(top["children"], "children", parser.child)
    _unique_ids(rooms, "rooms")
    _unique_ids(therapists, "therapists")
    _unique_ids(children, "children")
    return Instance(
        days=days,
        slots_per_day=slots_per_day,
        therapies=tuple(names),
        rooms=tuple(rooms),
        therapists=tuple(therapists),
        children=tuple(children),
    )


def _slots_dump(slots: frozenset[Slot]) -> list[list[int]]:
    return [[slot.day, slot.slot] for slot in sorted(slots)]


def instance_dump(instance: Instance) -> dict[str, Any]:
    """The JSON value of an instance (sorted slot lists, so files compare line by line)."""
    return {
        "days": instance.days,
        "slots_per_day": instance.slots_per_day,
        "therapies": list(instance.therapies),
        "rooms": [{"id": r.id, "therapies": sorted(r.therapies)} for r in instance.rooms],
        "therapists": [
            {"id": t.id, "therapies": sorted(t.therapies), "available": _slots_dump(t.available)}
            for t in instance.therapists
        ],
        "children": [
            {
                "id": c.id,
                "available": _slots_dump(c.available),
                "plan": [{"therapy": p.therapy, "sessions": p.sessions, "length": p.length} for p in c.plan],
            }
            for c in instance.children
        ],
    }


def session_dump(session: Session) -> dict[str, Any]:
    return {
        "child": session.child,
        "therapy": session.therapy,
        "therapist": session.therapist,
        "room": session.room,
        "day": session.day,
        "start": session.start,
        "length": session.length,
    }


def solution_dump(solution: Solution) -> dict[str, Any]:
    return {
        "sessions": [session_dump(s) for s in solution.sessions],
        "unmet": [
            {"child": u.child, "therapy": u.therapy, "length": u.length, "missing": u.missing} for u in solution.unmet
        ],
        "seconds": round(solution.seconds, 3),
        "status": solution.status.value,
    }


def session_parse(data: object, path: str) -> Session:
    """One session as the page or a file gives it; the rules are checked by `violations`, not here."""
    row = _object(data, path, ("child", "therapy", "therapist", "room", "day", "start", "length"))
    return Session(
        child=_str(row["child"], f"{path}.child"),
        therapy=_str(row["therapy"], f"{path}.therapy"),
        therapist=_str(row["therapist"], f"{path}.therapist"),
        room=_str(row["room"], f"{path}.room"),
        day=_int(row["day"], f"{path}.day", 0, MAX_DAYS - 1),
        start=_int(row["start"], f"{path}.start", 0, MAX_SLOTS_PER_DAY - 1),
        length=_int(row["length"], f"{path}.length", 1, MAX_SLOTS_PER_DAY),
    )


def _unmet_parse(data: object, path: str) -> Unmet:
    row = _object(data, path, ("child", "therapy", "length", "missing"))
    return Unmet(
        child=_str(row["child"], f"{path}.child"),
        therapy=_str(row["therapy"], f"{path}.therapy"),
        length=_int(row["length"], f"{path}.length", 1, MAX_SLOTS_PER_DAY),
        missing=_int(row["missing"], f"{path}.missing", 1, MAX_DAYS),
    )


def solution_parse(data: object) -> Solution:
    """A Solution from its decoded JSON value (a file written by care_solve or kept by the page)."""
    top = _object(data, "", ("sessions", "unmet", "status"), ("seconds",))
    seconds = top.get("seconds", 0.0)
    if not isinstance(seconds, int | float) or isinstance(seconds, bool) or seconds < 0:
        raise InstanceError("seconds", "not_number")
    try:
        status = Status(top["status"])
    except ValueError:
        raise InstanceError("status", "bad_status", choices=", ".join(s.value for s in Status)) from None
    return Solution(
        sessions=tuple(_list(top["sessions"], "sessions", session_parse)),
        unmet=tuple(_list(top["unmet"], "unmet", _unmet_parse)),
        seconds=float(seconds),
        status=status,
    )


def solution_json(solution: Solution) -> str:
    """The solution as JSON text, one session per line (readable, and diffs of two runs stay small)."""
    data = solution_dump(solution)
    rows = ",\n".join("  " + json.dumps(s, ensure_ascii=False) for s in data["sessions"])
    unmet = ",\n".join("  " + json.dumps(u, ensure_ascii=False) for u in data["unmet"])
    return (
        f'{{"sessions": [\n{rows}\n ],\n "unmet": [\n{unmet}\n ],\n'
        f' "seconds": {json.dumps(data["seconds"])}, "status": {json.dumps(data["status"])}}}\n'
    )
