"""The grievances' refusals: a translated message and a stable code."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from mutuelle.errors import DomainError

MSG_FORBIDDEN = _("You are not allowed to do this.")
MSG_NOT_ALLOWED = _("A complaint or appeal cannot go from “%(from)s” to “%(to)s”.")
MSG_STALE = _("This complaint or appeal was changed by someone else in the meantime. Reload it and try again.")
MSG_APPEAL_COMMITTEE = _("An appeal is decided by the appeals committee, after its review.")
MSG_FOUR_EYES = _("The committee member who decides an appeal cannot be the one who reviewed it.")
MSG_NOT_YOURS = _("This decision is not one of yours.")
MSG_NOT_FINAL = _("Only a final decision can be appealed: this claim file is not decided yet.")
MSG_LINE_ACCEPTED = _("This line was accepted in full: there is nothing to appeal.")
MSG_ALREADY_APPEALED = _("This decision is already under appeal (%(number)s).")
MSG_APPEAL_NEEDS_DECISION = _("Name the decision you appeal against.")
MSG_CATEGORY = _("Choose a category of this kind.")
MSG_TEXT = _("Say in a few words what happened (at most 4,000 characters).")
MSG_OUTCOME = _("Choose the outcome and the reason of the answer, and write the answer.")
MSG_TOO_MANY_FILES = _("At most %(n)s attachments.")
MSG_CHANGE_NEEDED = _("An upheld appeal on a claim line names the change the committee approves.")
MSG_APPROVAL = _("This prior approval is not a granted approval of this beneficiary for this act.")
MSG_REDUCED_NO_REVISION = _(
    "The line was reduced, not rejected: an adjudication of the same care again would be a duplicate. "
    "Record the answer without a change; the officers correct the file from its page."
)
MSG_PAYMENT_REISSUE = _("Only a payment rejected by the bank is issued again; this one is “%(state)s”.")
MSG_ALLOWANCE_REOPEN = _("Only a refused allowance request is reviewed again; this one is “%(state)s”.")
MSG_ALLOWANCE_LIVE = _(
    "Another request for the same allowance is under way: the refused one cannot be reviewed again beside it."
)
MSG_SUSPENSION_LIFTED = _("This suspension of rights is already lifted.")


class GrievanceError(DomainError):
    """A refused grievance operation; `message` is lazy, `code` stable."""

    def __init__(self, message: Any, *, code: str = "refused") -> None:
        super().__init__(message)
        self.code = code
