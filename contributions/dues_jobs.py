"""The monthly dues of the members off payroll, posted without anyone clicking (kind contributions.dues_post).

Members on leave, seconded or retired without deduction at source pay at the counter or by transfer;
each month their dues must be on the ledger from the schedule, so arrears, notices and suspensions see
them. Queued once a month by `manage.py contributions_post_dues` (from cron, as `arrears_review` and
`care_daily`) or by an accountant's button on the payroll files page, for one month; at most one
job per month is pending (dedupe key), so pressing twice or cron plus a person post once.

Each chunk posts the dues of the next CHUNK members (by id) in the worker's transaction, which stores
the cursor (the last member done) with them: a job killed at any point resumes at the first member not
committed. `dues_post` leaves a (member, month) that already has its due, so running a month again,
or a resumed chunk, posts nothing more.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from audit.services import AuditAction, audit_record
from contributions.rules import month_next, month_start
from contributions.services_common import ContributionRefused
from contributions.services_payroll import MANAGE
from contributions.services_receipts import dues_post, off_payroll_member_ids
from jobs.models import Job
from jobs.registry import ChunkResult, job_handler
from jobs.services import job_enqueue
from mutuelle.types import Actor

DUES_POST = "contributions.dues_post"
CHUNK = 500
MSG_FORBIDDEN = _("You are not allowed to post the dues.")
MSG_MONTH = _("Give a month (YYYY-MM) at most next month.")


def dues_post_month_check(*, month: dt.date, today: dt.date) -> dt.date:
    """The first of `month`; refused beyond next month (as receipts: dues are not posted years ahead)."""
    first = month_start(month)
    if first > month_next(month_start(today)):
        raise ContributionRefused(MSG_MONTH)
    return first


def dues_post_enqueue(*, actor: Actor, month: dt.date, today: dt.date) -> Job:
    """Queue the month's posting (or return the one already pending for that month), audited.

    `actor` None is the system (the command run by cron)."""
    if actor is not None and not actor.has_perm(MANAGE):
        raise ContributionRefused(MSG_FORBIDDEN)
    first = dues_post_month_check(month=month, today=today)
    key = f"{DUES_POST}:{first:%Y-%m}"
    with transaction.atomic(durable=True):
        job = job_enqueue(kind=DUES_POST, params={"month": first.isoformat()}, dedupe_key=key)
        audit_record(actor=actor, action=AuditAction.CREATE, obj=job, after={"month": f"{first:%Y-%m}"},
                     note="dues")  # fmt: skip
    return job


@job_handler(DUES_POST, view_perm=MANAGE)
def dues_post_chunk(*, job: Job, cursor: Any) -> ChunkResult:
    """Cursor: {"after": the last member id done, "posted": dues posted so far}."""
    month = dt.date.fromisoformat(job.params["month"])
    members = off_payroll_member_ids(month=month)
    if not cursor:
        total = members.count()
        start = {"after": 0, "posted": 0, "members": 0}
        return ChunkResult(cursor=start, done=not total, items_done=0, items_total=total, progress={"posted": 0})
    ids = list(members.filter(member_id__gt=int(cursor["after"]))[:CHUNK])
    posted = int(cursor["posted"]) + dues_post(member_ids=ids, months=[month])
    done_members = int(cursor["members"]) + len(ids)
    state = {"after": ids[-1] if ids else cursor["after"], "posted": posted, "members": done_members}
    return ChunkResult(cursor=state, done=len(ids) < CHUNK, items_done=done_members, progress={"posted": posted})
