from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _


class PaymentError(Exception):
    """A refused payment operation; `message` is translated, `code` is stable."""

    def __init__(self, message: Any, *, code: str, details: list[Any] | None = None) -> None:
        super().__init__(str(message))
        self.message = message
        self.code = code
        self.details = details or []


MSG_FORBIDDEN = _("You are not allowed to do this.")
MSG_NOTHING = _("There is nothing to pay for this kind of batch.")
MSG_FOUR_EYES = _("The batch must be validated by another accountant than the one who prepared it.")
MSG_STATE = _("This batch is “%(state)s”: this action is not possible now.")
MSG_ALREADY_CONFIRMED = _("This batch is already confirmed.")
MSG_NO_XML = _("Postal orders have no bank transfer file; download the CSV list.")
MSG_BYTES_CHANGED = _("The file would differ from the one already exported; nothing was exported.")
MSG_RETURN_UNKNOWN = _("Unknown payment reference.")
MSG_RETURN_NOT_SENT = _("This payment was never sent to the bank.")
MSG_RETURN_CONFLICT = _("This payment is already “%(state)s”.")
MSG_RETURN_AMOUNT = _("The amount differs from the payment sent (%(amount)s).")
MSG_RETURN_INVALID = _("The return file has errors; nothing was imported.")
MSG_REQUEUE_STATE = _("Only a rejected payment not yet sent back can be re-queued.")
MSG_REQUEUE_RIB = _("Correct the bank account (RIB) first: it is still the one the bank rejected, or invalid.")
