"""Member notifications (e-mail + SMS) as an outbox of jobs, sent by `manage.py worker` only.

An app registers each of its events once (`notification_event_register`, from its AppConfig.ready)
with a function that renders a `Notification` for a member; the text is rendered when the worker
sends it, in the member's language, so it says what is true then. `notifications_enqueue` writes
the jobs in the caller's transaction: a state change and its notifications commit (or roll back)
together, and a request that concerns 10,000 members sends nothing itself, it queues
⌈10,000 / 500⌉ jobs. The worker records in the job's cursor how many of its items were sent,
committed with each chunk, so a job interrupted and resumed sends each item once.

A job's params are `{"event": ..., "items": [[member_id, {params}], ...]}`; items are only ever
appended (and only while the job is queued), so the count of items sent is a stable prefix.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NamedTuple

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.core.mail import send_mail
from django.db import transaction
from django.utils import translation

from accounts.sms import sms_send
from jobs.models import Job, JobState
from jobs.registry import ChunkResult
from jobs.services import jobs_enqueue_many
from mutuelle import bulk

if TYPE_CHECKING:
    from members.models import Member

NOTIFY = "members.notify"  # the job kind
ITEMS_PER_JOB = 500  # one job per 500 notifications: a big bank return is a few jobs, not one per file
SENDS_PER_CHUNK = 50  # notifications per worker commit: what a kill can make the worker send again


@dataclass(frozen=True, slots=True)
class Notification:
    subject: str  # the e-mail's subject
    body: str  # the e-mail's body
    sms: str  # the SMS text (short)


Render = Callable[["Member", Mapping[str, str]], Notification]


class NotificationItem(NamedTuple):
    member_id: int
    params: Mapping[str, str]


_EVENTS: dict[str, Render] = {}


def notification_event_register(event: str, render: Render) -> None:
    """Declare an event and how its notification reads (called from an AppConfig.ready).

    `render(member, params)` runs in the member's language at send time; it may raise
    ObjectDoesNotExist when what it is about was deleted meanwhile (nothing is sent then).
    """
    _EVENTS[event] = render


def notifications_enabled() -> bool:
    """The NOTIFY setting (off: nothing is queued, e.g. while the demo makes up members)."""
    return bool(getattr(settings, "NOTIFY", True))


def _item_key(member_id: int, params: Mapping[str, str]) -> tuple[int, tuple[tuple[str, str], ...]]:
    return member_id, tuple(sorted((str(k), str(v)) for k, v in params.items()))


def _open_job(event: str) -> Job | None:
    """A queued notification job of this event with room left, locked against other writers.

    PostgreSQL: a job locked by another transaction (which may be filling it) is skipped, and
    the worker skips the one we lock. SQLite: writers are serialised (IMMEDIATE transactions).
    """
    qs = Job.objects.filter(kind=NOTIFY, state=JobState.QUEUED, params__event=event, items_total__lt=ITEMS_PER_JOB)
    return bulk.unlocked_rows(qs).order_by("-id").first()


def notifications_enqueue(*, event: str, member_ids: Sequence[int], params: Mapping[str, str] | None = None) -> int:
    """Queue the notification of `event` to these members (the same params for each); returns
    the number of new jobs queued (0 when the items all fit in an open job)."""
    shared = dict(params or {})
    return notification_items_enqueue(event=event, items=[NotificationItem(int(m), shared) for m in member_ids])


def notification_items_enqueue(*, event: str, items: Iterable[NotificationItem]) -> int:
    """Queue notifications whose params differ by member (e.g. one per claim file), in the
    caller's transaction; returns the number of new jobs queued.

    The items first fill the last queued job of the same event (so per-file calls in one bank
    return still make ⌈N/500⌉ jobs), then new jobs of up to ITEMS_PER_JOB items each. An item
    already queued in that open job (same member, same params) is not queued twice.
    """
    if event not in _EVENTS:
        raise LookupError(f"notification event {event!r} is not registered")
    unique: dict[tuple[int, tuple[tuple[str, str], ...]], list[Any]] = {}
    for item in items:
        values = {str(k): str(v) for k, v in item.params.items()}
        unique.setdefault(_item_key(int(item.member_id), values), [int(item.member_id), values])
    if not unique or not notifications_enabled():
        return 0
    with transaction.atomic():  # a savepoint inside the caller's transaction; the lock needs one
        fresh = list(unique.values())
        job = _open_job(event)
        if job is not None:
            queued: list[Any] = list(job.params.get("items", []))
            known = {_item_key(int(m), p) for m, p in queued}
            fresh = [it for it in fresh if _item_key(it[0], it[1]) not in known]
            room = ITEMS_PER_JOB - len(queued)
            added, fresh = fresh[:room], fresh[room:]
            if added:
                job_params = {**job.params, "items": [*queued, *added]}
                # Only while still queued: a job the worker took meanwhile is left alone.
                if not Job.objects.filter(pk=job.pk, state=JobState.QUEUED).update(
                    params=job_params, items_total=len(job_params["items"])
                ):
                    fresh = [*added, *fresh]
        chunks = [fresh[i : i + ITEMS_PER_JOB] for i in range(0, len(fresh), ITEMS_PER_JOB)]
        jobs_enqueue_many(
            kind=NOTIFY,
            params_list=[{"event": event, "items": chunk} for chunk in chunks],
            items_total=[len(chunk) for chunk in chunks],
        )
    return len(chunks)


def _member_language(member: Member) -> str:
    user = member.user
    return (user.preferred_language if user is not None else "") or settings.LANGUAGE_CODE


def _send(member: Member, event: str, params: Mapping[str, str]) -> None:
    """Render in the member's language (French by default) and send by e-mail and SMS."""
    with translation.override(_member_language(member)):
        note = _EVENTS[event](member, params)
    if member.email:
        send_mail(note.subject, note.body, None, [member.email])
    if member.phone:
        sms_send(phone=member.phone, text=note.sms)


def notifications_send(*, job: Job, cursor: Any) -> ChunkResult:
    """The handler's chunk: the next SENDS_PER_CHUNK items not sent yet, recorded as sent.

    The cursor {"sent": n} (the first n items are done) commits with the chunk; a resumed job
    starts after them. When a send fails after others in the chunk went out, the chunk ends
    there so that they are recorded, and the next chunk tries the failing one again (the job
    fails and backs off if it fails again). A member, or what the item is about, deleted
    meanwhile counts as done.
    """
    from members.models import Member

    items: list[Any] = list(job.params.get("items", []))
    event = str(job.params["event"])
    start = int((cursor or {}).get("sent", 0))
    todo = items[start : start + SENDS_PER_CHUNK]
    members = Member.objects.select_related("user").in_bulk([int(m) for m, _ in todo])
    sent = start
    for member_id, params in todo:
        member = members.get(int(member_id))
        if member is not None:
            try:
                _send(member, event, params)
            except ObjectDoesNotExist:
                pass
            except Exception:
                if sent == start:
                    raise
                break
        sent += 1
    return ChunkResult(
        cursor={"sent": sent},
        done=sent >= len(items),
        progress={"sent": sent},
        items_done=sent,
        items_total=len(items),
    )
