"""The JSON format: strict parsing with the path of the bad field, and dumps that read back the same."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from care.solver import (
    InstanceError,
    Session,
    Solution,
    Status,
    Unmet,
    instance_dump,
    instance_parse,
    solution_dump,
    solution_json,
    solution_parse,
)
from care.solver.generate import centre_generate

GOOD: dict[str, Any] = {
    "days": 5,
    "slots_per_day": 16,
    "therapies": ["speech", "psychology"],
    "rooms": [{"id": "R1", "therapies": ["speech", "psychology"]}],
    "therapists": [{"id": "T1", "therapies": ["speech"], "available": [[0, 0], [0, 1]]}],
    "children": [
        {"id": "C1", "available": [[0, 0], [4, 15]], "plan": [{"therapy": "speech", "sessions": 2, "length": 2}]}
    ],
}


def _with(path: list[Any], value: Any) -> dict[str, Any]:
    data = copy.deepcopy(GOOD)
    target = data
    for key in path[:-1]:
        target = target[key]
    if value is KeyError:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return data


BAD = [
    ("not an object", "$", "not_object"),
    (_with(["days"], KeyError), "$", "missing_field"),
    (_with(["colour"], "blue"), "colour", "unknown_field"),
    (_with(["days"], 0), "days", "out_of_range"),
    (_with(["days"], True), "days", "not_integer"),
    (_with(["slots_per_day"], "16"), "slots_per_day", "not_integer"),
    (_with(["therapies", 1], "speech"), "therapies[1]", "duplicate_therapy"),
    (_with(["rooms", 0, "therapies", 0], "physio"), "rooms[0].therapies[0]", "unknown_therapy"),
    (_with(["rooms", 0, "id"], ""), "rooms[0].id", "not_string"),
    (_with(["therapists", 0, "available", 1], [0, 16]), "therapists[0].available[1][1]", "out_of_range"),
    (_with(["therapists", 0, "available", 1], [5, 0]), "therapists[0].available[1][0]", "out_of_range"),
    (_with(["therapists", 0, "available", 1], [0, 0]), "therapists[0].available[1]", "duplicate_slot"),
    (_with(["therapists", 0, "available", 1], [0]), "therapists[0].available[1]", "not_a_slot"),
    (_with(["children", 0, "plan", 0, "therapy"], "speach"), "children[0].plan[0].therapy", "unknown_therapy"),
    (_with(["children", 0, "plan", 0, "length"], 0), "children[0].plan[0].length", "out_of_range"),
    (_with(["children", 0, "plan", 0, "length"], 17), "children[0].plan[0].length", "out_of_range"),
    (_with(["children", 0, "plan", 0, "sessions"], 6), "children[0].plan[0].sessions", "out_of_range"),
    (_with(["children", 0, "plan", 0, "sessions"], 0), "children[0].plan[0].sessions", "out_of_range"),
    (_with(["children", 0, "plan"], {"therapy": "speech"}), "children[0].plan", "not_list"),
    (
        _with(["children", 0, "plan"], [{"therapy": "speech", "sessions": 3, "length": 1}] * 2),
        "children[0].plan[1]",
        "duplicate_plan",
    ),
    (
        _with(
            ["children", 0, "plan"],
            [{"therapy": "speech", "sessions": 3, "length": 1}, {"therapy": "speech", "sessions": 3, "length": 2}],
        ),
        "children[0].plan[1].sessions",
        "sessions_over_days",
    ),
    (
        _with(["children"], [*GOOD["children"], {"id": "C1", "available": [], "plan": []}]),
        "children[1].id",
        "duplicate_id",
    ),
    (_with(["therapists", 0, "skills"], []), "therapists[0].skills", "unknown_field"),
]


@pytest.mark.parametrize(("data", "path", "code"), BAD, ids=[f"{b[2]}:{b[1]}" for b in BAD])
def test_it_refuses_a_bad_instance_naming_the_field(data: Any, path: str, code: str):
    with pytest.raises(InstanceError) as caught:
        instance_parse(data)
    assert (caught.value.path, caught.value.code) == (path, code)
    assert str(caught.value).startswith(f"{path}: ")


def test_it_reads_a_good_instance():
    instance = instance_parse(GOOD)
    assert instance.children[0].plan[0].sessions == 2
    assert instance.sessions_planned == 2
    assert instance.slots_planned == 4  # 2 sessions × 2 slots


def test_it_dumps_an_instance_it_reads_back_the_same():
    instance = centre_generate(children=20, therapists=4, rooms=3, load=0.7, seed=3)
    text = json.dumps(instance_dump(instance))
    assert instance_parse(json.loads(text)) == instance


def test_it_dumps_a_solution_it_reads_back_the_same():
    solution = Solution(
        sessions=(Session("C1", "speech", "T1", "R1", 0, 4, 2),),
        unmet=(Unmet("C3", "physio", 2, 1),),
        seconds=1.25,
        status=Status.FEASIBLE,
    )
    assert solution_dump(solution) == {
        "sessions": [
            {"child": "C1", "therapy": "speech", "therapist": "T1", "room": "R1", "day": 0, "start": 4, "length": 2}
        ],
        "unmet": [{"child": "C3", "therapy": "physio", "length": 2, "missing": 1}],
        "seconds": 1.25,
        "status": "feasible",
    }
    assert solution_parse(json.loads(solution_json(solution))) == solution


def test_it_refuses_a_solution_with_an_unknown_status():
    with pytest.raises(InstanceError) as caught:
        solution_parse({"sessions": [], "unmet": [], "status": "done"})
    assert caught.value.path == "status"
