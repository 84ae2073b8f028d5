"""`{{ centimes|dh }}`: an engine amount (integer centimes) as dirhams in the active language's format."""

from __future__ import annotations

from django import template
from django.utils.formats import number_format

from claims.services.engine_io import to_decimal

register = template.Library()


@register.filter
def dh(value: int | None) -> str:
    if value is None:
        return ""
    return number_format(to_decimal(int(value)), 2, use_l10n=True, force_grouping=True)


@register.filter
def signed_dh(value: int | None) -> str:
    """With its sign: "+15.00", "-5.00" (wrap in <bdi> in right-to-left pages)."""
    if value is None:
        return ""
    text = dh(abs(int(value)))
    return f"+{text}" if value > 0 else f"-{text}" if value < 0 else text
