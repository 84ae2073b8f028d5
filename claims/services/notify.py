"""Member notifications of claim files returned, approved or paid, through the members' outbox.

The claims app registers its three events (ClaimsConfig.ready); `claims_notify_enqueue` queues
one item per file in the caller's transaction (members.outbox batches them 500 per job, and the
worker sends each once even when killed and resumed). The text is rendered at send time, in the
member's language, from the file as it is then (its number, the pieces still missing).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, NamedTuple

from django.conf import settings
from django.utils.translation import gettext as _

from members.outbox import (
    NOTIFY,
    Notification,
    NotificationItem,
    notification_event_register,
    notification_items_enqueue,
)

if TYPE_CHECKING:
    from members.models import Member

__all__ = ["NOTIFY", "FileOfMember", "claims_notify_enqueue", "claims_notify_register", "event_of"]

NOTIFIED_STATES = ("returned", "approved", "paid")  # the claim states the member hears of


class FileOfMember(NamedTuple):
    file_id: int
    member_id: int


def event_of(status: str) -> str:
    """The outbox event of a file reaching `status` ("paid" -> "claims.paid")."""
    return f"claims.{status}"


def _file(member: Member, params: Mapping[str, str]) -> tuple[str, list[str]]:
    from claims.models import ClaimFile

    claim = ClaimFile.objects.only("number", "missing_pieces").get(pk=int(params["file"]), member=member)
    return claim.number, list(claim.missing_pieces)


def _returned(member: Member, params: Mapping[str, str]) -> Notification:
    from claims.services.workflow import CHECKLIST

    number, missing = _file(member, params)
    pieces = ", ".join(str(CHECKLIST.get(p, p)) for p in missing)
    body = _("Your claim file %(number)s was returned. Please bring: %(pieces)s.") % {
        "number": number,
        "pieces": pieces,
    }
    return Notification(_("Your claim file %(number)s is incomplete") % {"number": number}, body, body)


def _approved(member: Member, params: Mapping[str, str]) -> Notification:
    number, _missing = _file(member, params)
    body = _("Your claim file %(number)s was approved; the reimbursement will be paid soon.") % {"number": number}
    return Notification(_("Your claim file %(number)s is approved") % {"number": number}, body, body)


def _paid(member: Member, params: Mapping[str, str]) -> Notification:
    number, _missing = _file(member, params)
    body = _("The reimbursement of your claim file %(number)s was paid to your bank account.") % {"number": number}
    return Notification(_("Your claim file %(number)s is paid") % {"number": number}, body, body)


def claims_notify_register() -> None:
    """Declare the claims' events to the outbox (ClaimsConfig.ready)."""
    for status, render in zip(NOTIFIED_STATES, (_returned, _approved, _paid), strict=True):
        notification_event_register(event_of(status), render)


def claims_notify_enqueue(*, files: Sequence[FileOfMember], event: str) -> int:
    """Queue the member notifications of these files reaching the state `event` ("paid"...), as
    outbox jobs in the caller's transaction; the number of new jobs. CLAIMS_NOTIFY off (the
    demo's made-up files): none."""
    if not files or not settings.CLAIMS_NOTIFY:
        return 0
    items = [NotificationItem(int(f.member_id), {"file": str(int(f.file_id))}) for f in files]
    return notification_items_enqueue(event=event_of(event), items=items)
