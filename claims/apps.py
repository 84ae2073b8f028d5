from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClaimsConfig(AppConfig):
    name = "claims"
    verbose_name = _("Claim files")

    def ready(self) -> None:
        from claims.services.notify import claims_notify_register
        from members.sections import MemberSection, member_section_register

        claims_notify_register()
        _audit_labels()

        member_section_register(MemberSection("claims.files", "claims/member_claims.html", _files, 5))
        member_section_register(MemberSection("claims.approvals", "claims/approvals_table.html", _approvals, 10))
        member_section_register(MemberSection("claims.ald", "claims/ald_section.html", _ald, 20))


def _audit_labels() -> None:
    from accounts.models import Provider
    from audit.presentation import audit_value_labels_register
    from claims.services.routing import REVIEW_REASONS
    from claims.services.workflow import CHECKLIST

    # The trail shows a file's missing pieces by the checklist's words, not "lab_results".
    audit_value_labels_register(object_type="claims.claimfile", key="missing_pieces", labels=CHECKLIST)
    # The reasons for medical review by their words, not "amount" or "flagged_act".
    for key in ("review", "review_reasons"):
        audit_value_labels_register(object_type="claims.claimfile", key=key, labels=REVIEW_REASONS)
    # The provider's kind and sector copied on the file (no choices there): the provider's labels.
    # (the demo files an optical claim as an "optician" kind the provider table does not list.)
    kinds = {**dict(Provider.Kind.choices), "optician": _("Optician")}
    audit_value_labels_register(object_type="claims.claimfile", key="provider_kind", labels=kinds)
    audit_value_labels_register(
        object_type="claims.claimfile", key="provider_sector", labels=dict(Provider.Sector.choices)
    )


def _files(*, user: Any, member: Any) -> dict[str, Any] | None:
    from claims.selectors_member import claims_of_member

    found = claims_of_member(user=user, member=member)
    return None if found is None else {"member_claims": found}


def _approvals(*, user: Any, member: Any) -> dict[str, Any]:
    from claims.selectors import prior_approvals_of_member

    return {"approvals": prior_approvals_of_member(user=user, member=member)}


def _ald(*, user: Any, member: Any) -> dict[str, Any] | None:
    from claims.selectors import ald_of_member

    ald = ald_of_member(user=user, member=member)
    return None if ald is None else {"ald": ald}  # for medical controllers only
