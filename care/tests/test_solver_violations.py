"""`violations`: each broken rule is named (the page refuses a hand change with it), and it agrees with the
independent validator on timetables broken at random."""

from __future__ import annotations

import functools
import random
from dataclasses import replace
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from care.solver import Instance, Session, Solution, instance_dump, instance_parse, session_dump, solve, violations
from care.solver.generate import centre_generate
from care.tests.timetable_validator import timetable_problems

WEEK = [[d, s] for d in range(2) for s in range(6)]
CENTRE: dict[str, Any] = {
    "days": 2,
    "slots_per_day": 6,
    "therapies": ["speech", "physio"],
    "rooms": [{"id": "R1", "therapies": ["speech"]}, {"id": "R2", "therapies": ["physio"]}],
    "therapists": [
        {"id": "T1", "therapies": ["speech"], "available": WEEK},
        {"id": "T2", "therapies": ["speech"], "available": WEEK},
        {"id": "T3", "therapies": ["physio"], "available": [[0, s] for s in range(6)]},  # Mondays only
    ],
    "children": [
        {
            "id": "C1",
            "available": [p for p in WEEK if p != [1, 5]],  # a group class on Tuesday's last slot
            "plan": [
                {"therapy": "speech", "sessions": 2, "length": 2},
                {"therapy": "physio", "sessions": 1, "length": 1},
            ],
        },
        {"id": "C2", "available": WEEK, "plan": [{"therapy": "speech", "sessions": 1, "length": 1}]},
    ],
}
INSTANCE = instance_parse(CENTRE)
VALID = (
    Session("C1", "speech", "T1", "R1", 0, 0, 2),
    Session("C1", "speech", "T1", "R1", 1, 0, 2),
    Session("C1", "physio", "T3", "R2", 0, 3, 1),
    Session("C2", "speech", "T2", "R1", 0, 2, 1),
)


def test_it_finds_nothing_wrong_in_a_valid_timetable():
    assert violations(INSTANCE, VALID) == []


# (index of the changed session, its new fields, the code expected, the other session involved)
BROKEN = [
    (3, {"start": 1}, "room_busy", 0),
    (3, {"room": "R2", "start": 4}, "room_wrong_therapy", None),
    (3, {"therapist": "T1", "room": "R1", "day": 1, "start": 1}, "therapist_busy", 1),
    (2, {"start": 1}, "child_busy", 0),
    (2, {"day": 1, "start": 3}, "therapist_unavailable", None),
    (1, {"start": 4}, "child_unavailable", None),
    (2, {"therapist": "T1"}, "therapist_wrong_therapy", None),
    (1, {"day": 0, "start": 4}, "two_same_therapy_same_day", 0),
    (1, {"therapist": "T2"}, "therapist_changed", 0),
    (1, {"start": 5}, "outside_day", None),
    (1, {"day": 2}, "outside_day", None),
    (3, {"child": "C9"}, "unknown_child", None),
    (3, {"therapist": "T9"}, "unknown_therapist", None),
    (3, {"room": "R9"}, "unknown_room", None),
    (3, {"length": 2}, "not_in_plan", None),
]


@pytest.mark.parametrize(("index", "change", "code", "other"), BROKEN, ids=[b[2] for b in BROKEN])
def test_it_names_the_broken_rule_of_a_hand_change(index: int, change: dict[str, Any], code: str, other: int | None):
    sessions = list(VALID)
    sessions[index] = replace(sessions[index], **change)
    found = violations(INSTANCE, sessions)
    assert (code, other) in {(v.code, v.other) for v in found}, found
    assert all(index in (v.session, v.other) for v in found)  # nothing blamed on sessions left alone


def test_it_reports_a_session_beyond_the_plan():
    found = violations(INSTANCE, [*VALID, Session("C2", "speech", "T2", "R1", 1, 3, 1)])
    assert [v.code for v in found] == ["too_many_sessions"]
    assert found[0].params == {"child": "C2", "therapy": "speech", "sessions": 1}


def test_it_reports_a_double_booking_once_with_its_slot():
    found = violations(INSTANCE, [*VALID[:3], replace(VALID[3], start=0, therapist="T2")])
    assert [(v.code, v.session, v.other, v.params) for v in found] == [
        ("room_busy", 3, 0, {"room": "R1", "day": 0, "slot": 0})
    ]


@functools.cache
def _solved(seed: int) -> tuple[Instance, Solution]:
    instance = centre_generate(children=8, therapists=3, rooms=2, load=0.6, seed=seed)
    return instance, solve(instance, time_limit=10.0, workers=1, seed=0)


def _broken_at_random(sessions: list[Session], rng: random.Random, ids: dict[str, list[str]]) -> list[Session]:
    """A few sessions moved, reassigned or resized at random, as careless hands would."""
    out = list(sessions)
    for _ in range(rng.randint(1, 3)):
        i = rng.randrange(len(out))
        field = rng.choice(["day", "start", "length", "therapist", "room", "child", "therapy"])
        if field in ("day", "start", "length"):
            value: Any = rng.randint(0, 6)
        else:
            value = rng.choice(ids[field])
        out[i] = replace(out[i], **{field: value})
    return out


@settings(max_examples=150, deadline=None, derandomize=True, database=None)
@given(st.integers(0, 10**6))
def test_it_agrees_with_the_independent_validator(seed: int):
    instance, solution = _solved(seed % 7)
    data = instance_dump(instance)
    ids = {
        "therapist": [t.id for t in instance.therapists],
        "room": [r.id for r in instance.rooms],
        "child": [c.id for c in instance.children],
        "therapy": list(instance.therapies),
    }
    sessions = _broken_at_random(list(solution.sessions), random.Random(seed), ids)
    dumped = {"sessions": [session_dump(s) for s in sessions], "unmet": []}
    # The validator also checks `unmet`; only the rules of the sessions themselves are compared here.
    problems = [p for p in timetable_problems(data, dumped) if not p.startswith("unmet")]
    assert bool(violations(instance, sessions)) == bool(problems), problems
