"""`{% basic_payer_line day %}`: the sentence naming the basic-insurance payer in force on `day`
(statements, certificates), in the language being rendered; "" before the first payer row."""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext

from referentials.selectors import basic_payer_on

register = template.Library()


@register.simple_tag
def basic_payer_line(day: dt.date) -> SafeString | str:
    payer = basic_payer_on(on=day)
    if payer is None:
        return ""
    if payer.by_delegation:
        text = gettext("Basic insurance (AMO): %(name)s, managed by the mutual by delegation") % {"name": payer.name()}
    else:
        text = gettext("Basic insurance (AMO): %(name)s") % {"name": payer.name()}
    return format_html('<p class="payer">{} (<bdi class="code">{}</bdi>)</p>', text, payer.code)
