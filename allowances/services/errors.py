"""Refusals of the allowance services: translated messages, stable codes."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from mutuelle.errors import DomainError


class AllowanceError(DomainError):
    def __init__(self, message: Any, *, code: str) -> None:
        super().__init__(message)
        self.code = code


MSG_FORBIDDEN = _("You are not allowed to do this.")
MSG_NOT_ALLOWED = _("A request cannot go from “%(from)s” to “%(to)s”.")
MSG_FOUR_EYES = _("A request must be approved by another agent than the one who checked it.")
MSG_STALE = _("This request was changed by someone else in the meantime. Reload it and try again.")
MSG_NO_RATE = _("This allowance has no amount in force on the date of the event.")
MSG_INACTIVE = _("This allowance can no longer be requested.")
MSG_DUPLICATE = _("This allowance was already requested for this member (request %(number)s).")
MSG_EVENT_FUTURE = _("The date of the event cannot be in the future.")
MSG_REASON = _("Choose the reason of the refusal.")
MSG_NO_PAYEE = _("Add at least one payee with a valid bank account (RIB).")
MSG_PAYEE_RIB = _("Each payee needs a valid bank account (RIB) before the request is checked.")
MSG_MISSING = _("Documents are still missing: %(missing)s.")
MSG_PARTS = _("Only an administrator may set shares other than equal ones.")
MSG_SHARES_LOCKED = _("The payees can no longer be changed: the request is “%(state)s”.")
MSG_NOTHING_LEFT = _("Nothing is left to pay once the deductions are made: refuse the request instead.")
MSG_BENEFICIARY = _("Choose a person of this member's file.")
MSG_DOCUMENT_STATE = _("Documents can no longer be added: the request is “%(state)s”.")
MSG_YEAR = _("Give the school year of this allowance.")
MSG_MEMBERSHIP = _(
    "The membership lasted %(months)s months on the date of the event, less than the %(min)s months required: "
    "refuse the request with that reason."
)
MSG_AGE = _("%(name)s is beyond the age limit of %(limit)s on the date of the event.")
MSG_NOT_DECEASED = _("The member's file does not record the death: record it on the member's file first.")


def actor_user(actor: object) -> Any:
    """The actor for a user foreign key: the user, or None for the system (demo, jobs, anonymous)."""
    return actor if getattr(actor, "pk", None) else None
