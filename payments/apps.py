from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaymentsConfig(AppConfig):
    name = "payments"
    verbose_name = _("Payments")

    def ready(self) -> None:
        from members.sections import MemberSection, member_section_register

        member_section_register(MemberSection("payments", "payments/member_payments.html", _member_payments, 30))

        from claims.selectors_documents import statement_payment_register
        from payments.statement import claim_statement_payment

        statement_payment_register(claim_statement_payment)  # the payment method and date on statements


def _member_payments(*, user: Any, member: Any) -> dict[str, Any] | None:
    from django.core.exceptions import PermissionDenied

    from payments.selectors import payments_for_member

    # Reception agents see the file but not the money paid; the section is left out for them.
    try:
        return {"member_payments": payments_for_member(user=user, member=member)}
    except PermissionDenied:
        return None
