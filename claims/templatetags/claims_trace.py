"""`{{ line.trace|trace_html }}`: a line's engine trace in the page's language (claims.trace)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import SafeString

from claims.trace import trace_html as _trace_html

register = template.Library()


@register.filter
def trace_html(entries: Any) -> list[SafeString]:
    return _trace_html(entries)
