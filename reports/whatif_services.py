"""The what-if's writes: a run asked for (with its job, in one transaction) and its answer stored.

These rows are the report's own; no claim decision is ever written (reports.whatif_replay).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from claims.models import ClaimFile
from jobs.services import jobs_enqueue_many
from members.models import Administration
from mutuelle.errors import DomainError
from mutuelle.types import Actor, actor_user
from referentials.engine_data import engine_data
from reports.models_whatif import WhatIfRun, WhatIfState
from reports.whatif_proposal import Problem, Proposal, ProposalError, known_codes, proposal_parse
from reports.whatif_read import Period, lines_count
from reports.whatif_result import Accumulator

WHATIF = "whatif"
MAX_DAYS = 3 * 366
MSG_FORBIDDEN = _("You may not run policy what-ifs.")


def period_check(*, start: date, end: date) -> Period:
    if end < start:
        raise ProposalError([Problem("period", _("The period ends before it starts."))])
    if (end - start).days > MAX_DAYS:
        raise ProposalError([Problem("period", _("A what-if covers at most three years of care."))])
    return Period(start, end)


def proposal_validate(*, raw: Any, data: dict[str, Any] | None = None) -> Proposal:
    """The proposal checked against the referentials as they are (ProposalError otherwise)."""
    return proposal_parse(raw, known=known_codes(data if data is not None else engine_data()))


def whatif_run_create(*, actor: Actor, start: date, end: date, raw: Any) -> WhatIfRun:
    """Ask for a what-if: the run and its background job, queued together (a rollback queues nothing)."""
    if actor is None or not actor.has_perm("reports.run_whatif"):
        raise DomainError(MSG_FORBIDDEN)
    period = period_check(start=start, end=end)
    proposal = proposal_validate(raw=raw)
    with transaction.atomic(durable=True):
        run = WhatIfRun.objects.create(
            name=proposal.name, period_from=period.start, period_to=period.end, proposal=proposal.raw,
            created_by=actor_user(actor),
        )  # fmt: skip
        (job,) = jobs_enqueue_many(kind=WHATIF, params_list=[{"run": run.pk}], items_total=[lines_count(period)])
        run.job = job
        run.save(update_fields=["job"])
    return run


def result_finish(acc: Accumulator) -> dict[str, Any]:
    """The stored answer: the figures and the names they refer to, read once (two queries)."""
    data = acc.to_json()
    admin_ids = [int(k) for k in acc.by_administration if k.isdigit()]
    data["administrations"] = {
        str(pk): [fr, ar] for pk, fr, ar in Administration.objects.filter(pk__in=admin_ids).values_list(
            "pk", "name_fr", "name_ar")
    }  # fmt: skip
    file_ids = [t[2][0] for t in acc.top]
    data["files"] = {str(pk): n for pk, n in ClaimFile.objects.filter(pk__in=file_ids).values_list("pk", "number")}
    return data


def whatif_run_started(*, run: WhatIfRun) -> None:
    """The job took the run (inside the worker's chunk transaction)."""
    if run.state == WhatIfState.QUEUED:
        run.state = WhatIfState.RUNNING
        run.save(update_fields=["state"])


def whatif_run_finish(*, run: WhatIfRun, acc: Accumulator) -> WhatIfRun:
    """Store the answer (inside the worker's chunk transaction, with the job's last cursor)."""
    run.result = result_finish(acc)
    run.lines = acc.lines
    run.state = WhatIfState.DONE
    run.finished_at = timezone.now()
    run.save(update_fields=["result", "lines", "state", "finished_at"])
    return run
