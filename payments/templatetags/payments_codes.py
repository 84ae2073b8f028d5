"""`{{ payment.reject_reason|reject_reason }}`: the bank's refusal in words (payments.reject_reasons)."""

from __future__ import annotations

from django import template

from payments.reject_reasons import reject_reason_label

register = template.Library()


@register.filter(name="reject_reason")
def reject_reason(code: str) -> str:
    return reject_reason_label(code)
