"""What the batch pages offer to whom, and what they say after an action, with its figures.

Only the actions the user may take now are shown; an action the four-eyes rule keeps from this user
is replaced by the reason (the preparer reads "Another accountant must validate this batch"),
rather than a button that would be refused after the click. The services check again.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.http import HttpRequest
from django.utils.formats import date_format, number_format
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from payments.models import BatchKind, BatchState, PaymentBatch
from payments.services.returns import ReturnOutcome

MSG_PREPARING = _("Batch %(number)s is being prepared: this page shows its progress.")
MSG_FOUR_EYES_HIDDEN = _("Another accountant must validate this batch: you prepared it.")
MSG_WAITING_VALIDATION = _("Waiting for a second accountant to validate it.")
MSG_VALIDATED = _("Batch %(number)s validated: %(payments)s, %(total)s MAD.")
MSG_CONFIRMED = _("Batch %(number)s confirmed as sent: %(payments)s, %(total)s MAD.")
MSG_CANCELLED = _("Batch %(number)s cancelled: what it held will be in the next batch.")
MSG_RETURN_AGAIN = _("The file %(name)s was already imported on %(date)s: nothing changed.")
MSG_RETURN_KNOWN = _("Every line of %(name)s was already known: nothing changed.")
MSG_RETURN_DONE = _("Return %(name)s imported: %(paid)s paid, %(rejected)s rejected, %(known)s already known.")
MSG_SETTLED = _("Settled (every payment has the bank's answer): %(numbers)s.")


@dataclass(frozen=True)
class BatchActions:
    """The buttons of a batch page for one user, and why one is withheld ("" when none is)."""

    validate: bool
    export: bool
    confirm: bool
    cancel: bool
    why_not_validate: Any


def batch_actions(*, user: Any, batch: PaymentBatch) -> BatchActions:
    state = batch.state
    may_validate = user.has_perm("payments.validate_paymentbatch")
    own = batch.prepared_by_id == user.pk
    why: Any = ""
    if state == BatchState.PREPARED:
        why = MSG_FOUR_EYES_HIDDEN if may_validate and own else ("" if may_validate else MSG_WAITING_VALIDATION)
    exportable = (BatchState.VALIDATED, BatchState.EXPORTED, BatchState.CONFIRMED, BatchState.SETTLED)
    return BatchActions(
        validate=state == BatchState.PREPARED and may_validate and not own,
        export=state in exportable and user.has_perm("payments.export_paymentbatch"),
        confirm=state == BatchState.EXPORTED and may_validate,
        cancel=state in (BatchState.PREPARED, BatchState.VALIDATED) and user.has_perm("payments.prepare_paymentbatch"),
        why_not_validate=why,
    )


def money_text(amount: Decimal) -> str:
    """An amount as the pages write it (grouped, two decimals, the language's separators)."""
    return number_format(amount, decimal_pos=2, use_l10n=True, force_grouping=True)


def _payments_phrase(batch: PaymentBatch) -> str:
    n = batch.payment_count
    if batch.kind == BatchKind.POSTAL_ORDER:
        return ngettext("%(count)s postal order", "%(count)s postal orders", n) % {"count": n}
    if batch.kind == BatchKind.ALLOWANCE_TRANSFER:
        return ngettext("%(count)s payment", "%(count)s payments", n) % {"count": n}
    return ngettext("%(count)s transfer", "%(count)s transfers", n) % {"count": n}


def batch_done_message(action: str, batch: PaymentBatch) -> str:
    figures = {"number": batch.number, "payments": _payments_phrase(batch), "total": money_text(batch.total)}
    if action == "validate":
        return str(MSG_VALIDATED % figures)
    if action == "confirm":
        return str(MSG_CONFIRMED % figures)
    return str(MSG_CANCELLED % figures)


def return_messages(request: HttpRequest, outcome: ReturnOutcome) -> None:
    record = outcome.record
    if outcome.again:
        when = date_format(localtime(record.imported_at), "Y-m-d H:i")
        messages.warning(request, MSG_RETURN_AGAIN % {"name": record.file_name, "date": when})
        return
    if record.lines and record.unchanged == record.lines:
        messages.info(request, MSG_RETURN_KNOWN % {"name": record.file_name})
    else:
        figures = {"paid": record.paid, "rejected": record.rejected, "known": record.unchanged}
        messages.success(request, MSG_RETURN_DONE % {"name": record.file_name, **figures})
    if outcome.settled:
        messages.success(request, MSG_SETTLED % {"numbers": ", ".join(outcome.settled)})
