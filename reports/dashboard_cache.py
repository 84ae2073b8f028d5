"""The dashboard's panels drawn once per refresh, not once per view.

The figures change only when the summary tables are rebuilt (or a benchmark or budget row is
saved, which changes the referentials' token), so the refresh job draws the panels of every
language and period once, at its end, and stores them in the cache under a key naming the refresh
times and the token. A page view reads that entry; when it is missing (a refresh under way, a
budget just saved, a cache emptied) the view draws the panels itself and stores nothing: a GET
never writes.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone, translation

from referentials.models import ReferentialVersion
from reports import selectors_dashboard as sel
from reports.dashboard_panels import Panel, panels_build

# Long enough to outlive the night between two refreshes; a new refresh changes the key anyway.
TIMEOUT_SECONDS = 3 * 24 * 3600


def _key(*, language: str, period: str, fresh: dict[str, sel.Freshness], token: str) -> str:
    stamps = ",".join(f"{t}={f.refreshed_at.isoformat() if f.refreshed_at else '-'}" for t, f in sorted(fresh.items()))
    digest = hashlib.sha256(f"{stamps}|{token}".encode()).hexdigest()[:24]
    return f"reports:dashboard:{language}:{period}:{digest}"


def _token() -> str:
    return ReferentialVersion.objects.values_list("token", flat=True).first() or ""


def as_of(fresh: dict[str, sel.Freshness]) -> dt.date:
    days = [f.as_of for f in fresh.values() if f.as_of is not None]
    return max(days) if days else timezone.localdate()


def panels_read(*, period: sel.Period, fresh: dict[str, sel.Freshness]) -> list[Panel]:
    """The panels of the active language for `period`: drawn by the last refresh, or now."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    found = cache.get(_key(language=language, period=period.key, fresh=fresh, token=_token()))
    if found is not None:
        return list(found)
    return panels_build(period=period, on=as_of(fresh), rtl=translation.get_language_bidi())


def panels_prerender() -> int:
    """Draw and store the panels of every language and period (the last 12 months, each year with
    data, everything); called by the refresh once every table is rebuilt. How many were stored."""
    fresh = sel.freshness()
    on = as_of(fresh)
    token = _token()
    periods = ["12m", *[str(y) for y in sel.years_with_data()], "all"]
    stored = 0
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            rtl = translation.get_language_bidi()
            for key in periods:
                period = sel.period_parse(key, as_of=on)
                panels = panels_build(period=period, on=on, rtl=rtl)
                cache.set(_key(language=language, period=key, fresh=fresh, token=token), panels, TIMEOUT_SECONDS)
                stored += 1
    return stored
