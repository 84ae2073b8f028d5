"""The Amal centres' weekly timetable solver: a pure package (no Django, no project app), OR-Tools CP-SAT.

The timetable page, `manage.py care_solve` and the bench all go through these functions and the one
JSON format (see docs/readme-solver.md).
"""

from care.solver.jsonio import (
    InstanceError,
    instance_dump,
    instance_parse,
    session_dump,
    session_parse,
    solution_dump,
    solution_json,
    solution_parse,
)
from care.solver.model import Child, Instance, PlanItem, Room, Session, Slot, Solution, Status, Therapist, Unmet
from care.solver.solve import solve
from care.solver.violations import Violation, violations

__all__ = [
    "Child",
    "Instance",
    "InstanceError",
    "PlanItem",
    "Room",
    "Session",
    "Slot",
    "Solution",
    "Status",
    "Therapist",
    "Unmet",
    "Violation",
    "instance_dump",
    "instance_parse",
    "session_dump",
    "session_parse",
    "solution_dump",
    "solution_json",
    "solution_parse",
    "solve",
    "violations",
]
