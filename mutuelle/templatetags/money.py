"""`{{ amount|money }}`: an amount in the reader's format (mutuelle.money), available in every template.

A builtin (settings.TEMPLATES), so no template needs `{% load %}` for it. It gives the same text as
`floatformat:"2g"`, which the older templates use, and accepts the engine's text amounts too.
"""

from __future__ import annotations

from django import template

from mutuelle.money import money_format

register = template.Library()


@register.filter(is_safe=True)
def money(value: object) -> str:
    return money_format(value)
