"""The engine's trace in the reader's language: one template per trace code.

The engine (engine.trace) writes each line's trace as entries
``{"code": ..., "params": {...}}``; this module puts them in words for the claim page,
the statement PDF, the simulator and the API, in the active language. Amounts
(centimes), rates (basis points) and coefficients (hundredths) are formatted with the
language's separators, as Django formats the amounts of the pages. Lines decided
before the codes existed hold plain strings: they are shown as they are.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.utils.formats import number_format
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from engine.trace import trace_unpacked
from mutuelle.money import money_format
from referentials.choices import RateCategory, Sector, Setting

__all__ = ["ALD_MASK", "TEMPLATES", "trace_ald_masked", "trace_html", "trace_text", "trace_texts"]

ALD_MASK = "•••"

TEMPLATES: dict[str, Any] = {
    "tariff.act": _("tariff %(code)s: %(amount)s × %(qty)s"),
    "tariff.act_letter": _("tariff %(code)s = %(letter_coef)s (%(sector)s) %(value)s × %(qty)s"),
    "tariff.letter": _("tariff %(letter)s (%(sector)s) %(value)s × %(coef)s × %(qty)s"),
    "tariff.no_letter_value": _("no value for key letter %(letter)s (%(sector)s)"),
    "unknown.act": _("unknown act %(code)s"),
    "unknown.medicine": _("unknown medicine %(code)s"),
    "unknown.stay": _("unknown stay code %(code)s"),
    "unknown.kind": _("unknown line kind %(kind)s"),
    "medicine.generic": _("medicine %(code)s at the generic's price %(unit)s × %(qty)s"),
    "medicine.public": _("medicine %(code)s at the public price %(unit)s × %(qty)s"),
    "medicine.no_price": _("medicine without code nor price"),
    "stay.no_code": _("stay without tariff code: basis = paid"),
    "amo.rate": _("AMO %(rate)s, %(basis)s"),
    "amo.ald": _("AMO %(rate)s, long-term illness %(ald)s"),
    "amo.none": _("no AMO rate for %(category)s, %(setting)s"),
    "ald.not_recognised": _("%(ald)s not recognised for the beneficiary"),
    "ald.not_listed": _("%(ald)s not on the ALD list"),
    "complementary.rate": _("complementary %(rate)s, %(category)s"),
    "complementary.flat": _("complementary flat %(amount)s, %(category)s"),
    "ceiling": _("ceiling %(key)s %(year)s: %(ceiling)s, used %(used)s"),
    "late_filing": _("filed day %(day)s, limit %(limit)s"),
    "prior_approval": _("prior approval %(ref)s"),
    "frequency": _("frequency %(code)s: %(done)s in %(days)s days, max %(max)s"),
    "cover.ok": _("covered"),
    "cover.before_birth": _("care before the beneficiary's birth"),
    "cover.resigned": _("member resigned"),
    "cover.after_death": _("care after the member's death"),
    "cover.unknown_status": _("unknown member status %(status)s"),
    "cover.suspended": _("member rights suspended"),
    "cover.suspended_from": _("rights suspended from %(date)s"),
    "cover.child_over": _("child over %(age)s, no school certificate"),
    "cover.student_over": _("student over %(age)s"),
    "cover.unknown_relation": _("unknown relation %(relation)s"),
    "cover.waiting": _("waiting period until %(date)s"),
    "cover.not_member": _("not yet a member on that date"),
    "cover.ended": _("cover ended on %(date)s"),
}

_AMOUNTS = frozenset({"amount", "value", "unit", "ceiling", "used"})
# Parameters that are words (translated labels), not codes or numbers: no bidi isolation.
_WORDS = frozenset({"sector", "basis", "setting", "category", "key"})
_BASIS = {"medicine": RateCategory.MEDICINE.label, "ald": RateCategory.ALD.label}


def _hundredths(n: int) -> str:
    """1500 -> "15", 150 -> "1.5" (or "1,5"): as many decimals as needed, the language's separator."""
    d = (Decimal(n) / 100).normalize()
    places = max(0, -d.as_tuple().exponent)  # type: ignore[operator]
    return number_format(d, places)


def _label(name: str, value: Any) -> str:
    text = str(value)
    if name == "sector" and text in Sector.values:
        return str(Sector(text).label)
    if name in ("basis", "setting") and text in _BASIS:
        return str(_BASIS[text])
    if name in ("basis", "setting") and text in Setting.values:
        return str(Setting(text).label)
    if name in ("category", "key", "setting") and text in RateCategory.values:
        return str(RateCategory(text).label)
    return text


def _param(name: str, value: Any) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        if name in _AMOUNTS:
            return money_format(Decimal(value).scaleb(-2))  # grouped as on every page: 1 500,00
        if name == "rate":
            return f"{_hundredths(value)}%"
        if name == "coef":
            return _hundredths(value)
        return str(value)
    return _label(name, value)


def _parts(entry: Any) -> tuple[str, dict[str, Any]] | None:
    entry = trace_unpacked(entry)
    if isinstance(entry, dict) and isinstance(entry.get("code"), str) and entry["code"] in TEMPLATES:
        params = entry.get("params")
        params = params if isinstance(params, dict) else {}
        if "letter" in params and "coef" in params:
            # "C1.5" is one term: two isolates side by side would read "1.5C" in a right-to-left sentence.
            params = {**params, "letter_coef": f"{params['letter']}{_param('coef', params['coef'])}"}
        return entry["code"], params
    return None


def _render(entry: Any, *, html: bool) -> str:
    """One entry in the active language; `html`: escaped, with codes and numbers isolated in <bdi>."""
    parts = _parts(entry)
    if parts is None:  # an old row's string, or a code this version does not know
        return format_html("<bdi>{}</bdi>", str(entry)) if html else str(entry)
    code, params = parts
    values: dict[str, str] = {k: _param(k, v) for k, v in params.items()}
    template = str(TEMPLATES[code])
    if html:
        template = conditional_escape(template)
        values = {
            k: conditional_escape(v) if k in _WORDS else format_html("<bdi>{}</bdi>", v) for k, v in values.items()
        }
    try:
        text = template % values
    except (KeyError, TypeError, ValueError):  # a stored entry whose parameters changed: still shown
        return format_html("<bdi>{} {}</bdi>", code, str(params)) if html else f"{code} {params}"
    return mark_safe(text) if html else text  # noqa: S308 (html: every part escaped above)


def trace_text(entry: Any) -> str:
    """One entry in the active language (plain text: the API, the PDF's text, tests)."""
    return _render(entry, html=False)


def trace_texts(entries: Iterable[Any]) -> list[str]:
    return [trace_text(e) for e in entries or ()]


def trace_html(entries: Iterable[Any]) -> list[SafeString]:
    """The entries as HTML for a right-to-left page: codes and numbers isolated in <bdi>, so that
    "CONS-G" or "80.00" keep their order in an Arabic sentence."""
    return [mark_safe(_render(entry, html=True)) for entry in entries or ()]  # noqa: S308 (escaped by _render)


def trace_ald_masked(entries: Iterable[Any], ald: str = "") -> list[Any]:
    """The entries with the long-term illness hidden (its code names the condition): the `ald`
    parameter of structured entries, and `ald` inside an old row's strings. New objects; the
    stored entries are not changed."""
    out: list[Any] = []
    for entry in map(trace_unpacked, entries or ()):
        if isinstance(entry, dict) and isinstance(entry.get("params"), dict) and "ald" in entry["params"]:
            out.append({**entry, "params": {**entry["params"], "ald": ALD_MASK}})
        elif isinstance(entry, str) and ald:
            out.append(entry.replace(ald, ALD_MASK))
        else:
            out.append(entry)
    return out
