"""Member notifications (e-mail + SMS), sent after commit by the workflow."""

from __future__ import annotations

from collections.abc import Sequence

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.sms import sms_send


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


def claim_notify(*, claim_id: int, event: str) -> None:
    """Tell the member by e-mail and SMS, in their language (French by default)."""
    from claims.models import ClaimFile

    claim = ClaimFile.objects.select_related("member", "member__user").get(pk=claim_id)
    member = claim.member
    user = member.user
    language = (user.preferred_language if user is not None else "") or settings.LANGUAGE_CODE
    with translation.override(language):
        subject, body = _texts(event, claim.number, list(claim.missing_pieces))
    if member.email:
        send_mail(subject, body, None, [member.email])
    if member.phone:
        sms_send(phone=member.phone, text=body)


def claims_notify_enqueue(*, claim_ids: Sequence[int], event: str) -> None:
    """Queue the member notifications of these files with the caller's transaction.

    For now each is sent after the commit, as the workflow did; the outbox of jobs replaces this."""
    for pk in claim_ids:
        transaction.on_commit(lambda pk=pk: claim_notify(claim_id=pk, event=event))  # type: ignore[misc]
