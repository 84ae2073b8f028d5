"""The care week's background work (discovered by `manage.py worker`).

care.timetable_solve: params {timetable_id, actor_id}; one chunk builds the centre's instance, runs the
solver within the timetable's time limit (below the worker's lease) and stores the result, all in
the worker's transaction: a worker killed while solving leaves nothing, and the next one solves again.
"""

from __future__ import annotations

from typing import Any

from accounts.models import User
from care import solver
from care.models import Timetable, TimetableState
from care.selectors_week import week_instance
from care.services_week import SOLVE_KIND, timetable_solution_store, timetable_transition_apply
from jobs.models import Job
from jobs.registry import ChunkResult, job_handler

VIEW = "care.plan_week"  # who may follow a generation's progress: who plans the week


@job_handler(SOLVE_KIND, view_perm=VIEW)
def timetable_solve_chunk(*, job: Job, cursor: Any) -> ChunkResult:
    tt = Timetable.objects.select_related("centre").filter(pk=job.params["timetable_id"]).first()
    if tt is None or tt.state != TimetableState.GENERATING:
        return ChunkResult(cursor=None, done=True)
    actor = User.objects.filter(pk=job.params.get("actor_id")).first()
    week = week_instance(centre=tt.centre)
    try:
        instance = week.parsed()
    except solver.InstanceError as exc:
        message = str(exc)[:300]

        def failed(row: Timetable) -> list[str]:
            row.error = message
            return ["error"]

        timetable_transition_apply(actor=actor, timetable=tt, to=TimetableState.FAILED, by_job=True, changes=failed)
        return ChunkResult(cursor=None, done=True, progress={"error": message})
    planned = instance.sessions_planned
    solution = solver.solve(instance, time_limit=float(tt.time_limit), workers=2, seed=tt.seed)
    timetable_solution_store(actor=actor, timetable=tt, solution=solution, week=week)
    placed = len(solution.sessions)
    return ChunkResult(
        cursor=None,
        done=True,
        progress={"sessions": placed, "planned": planned, "status": str(solution.status)},
        items_done=placed,
        items_total=planned,
    )
