"""The `whatif` job: one chunk of members replayed per step, the figures so far kept in the cursor.

The cursor is the last member id replayed and the accumulator (small: reports.whatif_result), so a
worker killed at any point resumes at the next chunk without counting a line twice. Both rule
sets are built once per process and run (the proposal is validated again: the referentials may
have changed since it was asked).
"""

from __future__ import annotations

from typing import Any

from jobs.models import Job
from jobs.registry import ChunkResult, job_handler
from referentials.engine_data import engine_data
from reports.models_whatif import WhatIfRun
from reports.whatif_read import Period
from reports.whatif_replay import Replayer, Rules, rules_build
from reports.whatif_result import Accumulator
from reports.whatif_services import WHATIF, proposal_validate, whatif_run_finish, whatif_run_started

_rules: dict[int, Rules] = {}


def _rules_of(run: WhatIfRun, period: Period) -> Rules:
    found = _rules.get(run.pk)
    if found is None:
        _rules.clear()  # one run at a time per worker process: no growth
        data = engine_data()
        found = _rules[run.pk] = rules_build(proposal_validate(raw=run.proposal, data=data), period=period, data=data)
    return found


@job_handler(WHATIF, view_perm="reports.view_whatifrun")
def whatif_step(*, job: Job, cursor: Any) -> ChunkResult:
    run = WhatIfRun.objects.get(pk=int(job.params["run"]))
    period = Period(run.period_from, run.period_to)
    state = cursor or {"after": 0, "acc": None}
    if cursor is None:
        whatif_run_started(run=run)
    replayer = Replayer(period=period, rules=_rules_of(run, period), acc=Accumulator.from_json(state["acc"]))
    after = replayer.chunk(after=int(state["after"]))
    acc = replayer.acc
    if after is None:
        whatif_run_finish(run=run, acc=acc)
        _rules.pop(run.pk, None)
        return ChunkResult(cursor={"after": state["after"], "acc": None}, done=True, items_done=acc.lines,
                           items_total=acc.lines)  # fmt: skip
    return ChunkResult(cursor={"after": after, "acc": acc.to_json()}, done=False, items_done=acc.lines)
