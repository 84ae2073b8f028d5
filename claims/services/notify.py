"""Member notifications (e-mail + SMS) as an outbox of jobs, sent by `manage.py worker` only.

`claims_notify_enqueue` writes the jobs in the caller's transaction, so a state change and its
notifications commit (or roll back) together and a request that pays 10,000 files sends nothing
itself: it queues ⌈10,000 / 500⌉ jobs. The handler records in the job's cursor the files already
notified, committed with each chunk, so a job interrupted and resumed notifies each file once.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.sms import sms_send
from jobs.models import Job, JobState
from jobs.registry import ChunkResult
from jobs.services import jobs_enqueue_many
from mutuelle import bulk

if TYPE_CHECKING:
    from claims.models import ClaimFile

NOTIFY = "claims.notify"
FILES_PER_JOB = 500  # one job per 500 files: a big bank return is a few jobs, not one per file
SENDS_PER_CHUNK = 50  # notifications per worker commit: what a kill can make the worker send again


def _texts(event: str, number: str, missing: list[str]) -> tuple[str, str]:
    from claims.services.workflow import CHECKLIST

    if event == "returned":
        pieces = ", ".join(str(CHECKLIST.get(p, p)) for p in missing)
        return (
            _("Your claim file %(number)s is incomplete") % {"number": number},
            _("Your claim file %(number)s was returned. Please bring: %(pieces)s.")
            % {"number": number, "pieces": pieces},
        )
    if event == "approved":
        return (
            _("Your claim file %(number)s is approved") % {"number": number},
            _("Your claim file %(number)s was approved; the reimbursement will be paid soon.") % {"number": number},
        )
    return (
        _("Your claim file %(number)s is paid") % {"number": number},
        _("The reimbursement of your claim file %(number)s was paid to your bank account.") % {"number": number},
    )


def _send(claim: ClaimFile, event: str) -> None:
    """Tell the member by e-mail and SMS, in their language (French by default)."""
    member = claim.member
    user = member.user
    language = (user.preferred_language if user is not None else "") or settings.LANGUAGE_CODE
    with translation.override(language):
        subject, body = _texts(event, claim.number, list(claim.missing_pieces))
    if member.email:
        send_mail(subject, body, None, [member.email])
    if member.phone:
        sms_send(phone=member.phone, text=body)


def _open_job(event: str) -> Job | None:
    """A queued notification job of this event with room left, locked against other writers.

    PostgreSQL: a job locked by another transaction (which may be filling it) is skipped, and
    the worker skips the one we lock. SQLite: writers are serialised (IMMEDIATE transactions).
    """
    qs = Job.objects.filter(kind=NOTIFY, state=JobState.QUEUED, params__event=event, items_total__lt=FILES_PER_JOB)
    return bulk.unlocked_rows(qs).order_by("-id").first()


def claims_notify_enqueue(*, claim_ids: Sequence[int], event: str) -> None:
    """Queue the member notifications of these files as outbox jobs in the caller's transaction.

    The ids first fill the last queued job of the same event (so per-file calls in one bank
    return still make ⌈N/500⌉ jobs), then new jobs of up to FILES_PER_JOB files each.
    """
    ids = list(dict.fromkeys(int(pk) for pk in claim_ids))
    if not ids or not settings.CLAIMS_NOTIFY:  # False: the demo's made-up files
        return
    with transaction.atomic():  # a savepoint inside the caller's transaction; the lock needs one
        job = _open_job(event)
        if job is not None:
            queued = [int(pk) for pk in job.params.get("claim_ids", [])]
            known = set(queued)
            fresh = [pk for pk in ids if pk not in known]
            room = FILES_PER_JOB - len(queued)
            added, ids = fresh[:room], fresh[room:]
            if added:
                params = {**job.params, "claim_ids": [*queued, *added]}
                # Only while still queued: a job the worker took meanwhile is left alone.
                if not Job.objects.filter(pk=job.pk, state=JobState.QUEUED).update(
                    params=params, items_total=len(params["claim_ids"])
                ):
                    ids = [*added, *ids]
        chunks = [ids[i : i + FILES_PER_JOB] for i in range(0, len(ids), FILES_PER_JOB)]
        jobs_enqueue_many(
            kind=NOTIFY,
            params_list=[{"event": event, "claim_ids": chunk} for chunk in chunks],
            items_total=[len(chunk) for chunk in chunks],
        )


def claims_notify_send(*, job: Job, cursor: Any) -> ChunkResult:
    """The handler's chunk: the next SENDS_PER_CHUNK files not notified yet, recorded as sent.

    The cursor {"sent": [ids]} commits with the chunk; a resumed job skips those. When a send
    fails after others in the chunk went out, the chunk ends there so that they are recorded,
    and the next chunk tries the failing one again (the job fails and backs off if it fails again).
    A file deleted meanwhile counts as done.
    """
    from claims.models import ClaimFile

    ids = [int(pk) for pk in job.params.get("claim_ids", [])]
    event = str(job.params["event"])
    sent: list[int] = [int(pk) for pk in (cursor or {}).get("sent", [])]
    already = set(sent)
    todo = [pk for pk in ids if pk not in already][:SENDS_PER_CHUNK]
    claims = ClaimFile.objects.select_related("member", "member__user").in_bulk(todo)
    for pk in todo:
        claim = claims.get(pk)
        if claim is not None:
            try:
                _send(claim, event)
            except Exception:
                if len(sent) == len(already):
                    raise
                break
        sent.append(pk)
    finished = set(ids) <= set(sent)
    return ChunkResult(
        cursor={"sent": sent},
        done=finished,
        progress={"sent": len(sent)},
        items_done=len(sent),
        items_total=len(ids),
    )
