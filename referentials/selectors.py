"""Reads of referentials: the engine snapshot, cached per process."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import date

from django.db import connection
from django.db.models import Q
from django.utils.translation import get_language

from engine import Snapshot, snapshot_build
from referentials.engine_data import engine_data
from referentials.models import BasicPayer, Parameter, PublicHoliday, ReferentialVersion

_VERSION_SQL = f"SELECT token FROM {ReferentialVersion._meta.db_table} WHERE id = 1"  # noqa: S608 (a constant)
_lock = threading.Lock()
_cache: dict[str, tuple[str, Snapshot]] = {}


def referential_version() -> str:
    """Token changed by every referential write (see services.referential_version_bump).

    Asked before every use of the cached snapshot (each eligibility check, each adjudication), so in
    raw SQL: compiling the one-row queryset cost more than running it."""
    with connection.cursor() as cursor:
        cursor.execute(_VERSION_SQL)
        row = cursor.fetchone()
    return str(row[0]) if row and row[0] else ""


def referential_snapshot(*, on: date | None = None) -> Snapshot:
    """The engine's Snapshot from the DB rows.

    With `on=None` (the usual call) it holds every dated row, so claims of any date are judged
    by the rules in force on their date of care; it is cached per process and rebuilt when the
    version token changes. With a date it holds only the rows in force that day (not cached).
    """
    if on is not None:
        return snapshot_build(engine_data(on=on))
    token = referential_version()
    cached = _cache.get("all")
    if cached is not None and cached[0] == token:
        return cached[1]
    with _lock:
        snapshot = snapshot_build(engine_data())
        _cache["all"] = (token, snapshot)
    return snapshot


def referential_snapshot_clear() -> None:
    """Forget the cached snapshot (tests, or after rows were edited outside the services)."""
    _cache.clear()


# ---------------------------------------------------------------- dated settings and their history


@dataclass(frozen=True)
class Payer:
    """The basic-insurance payer on a date, named in the three languages."""

    code: str
    name_fr: str
    name_ar: str
    name_en: str
    by_delegation: bool

    def name(self, language: str | None = None) -> str:
        lang = (language or get_language() or "fr")[:2]
        return {"ar": self.name_ar, "en": self.name_en}.get(lang, self.name_fr)


def basic_payer_on(*, on: date) -> Payer | None:
    """The basic-insurance payer in force `on` (None before the first row)."""
    row = BasicPayer.objects.filter(Q(valid_to__isnull=True) | Q(valid_to__gt=on), valid_from__lte=on).first()
    if row is None:
        return None
    return Payer(row.code, row.name_fr, row.name_ar, row.name_en, row.by_delegation)


def parameter_value(*, name: str, on: date) -> int:
    """The value of a dated scalar parameter in force `on`; LookupError when none is."""
    value = (
        Parameter.objects.filter(Q(valid_to__isnull=True) | Q(valid_to__gt=on), name=name, valid_from__lte=on)
        .values_list("value", flat=True)
        .first()
    )
    if value is None:
        raise LookupError(f"no {name} parameter in force on {on}")
    return int(value)


@dataclass(frozen=True)
class ParameterHistory:
    """One dated parameter and every row it ever had, past and future, oldest first."""

    name: str
    label: str
    rows: list[Parameter]


def parameters_history() -> list[ParameterHistory]:
    """Each parameter with all its rows (one query), in the order of Parameter.Name."""
    by_name: dict[str, list[Parameter]] = {}
    for row in Parameter.objects.order_by("name", "valid_from"):
        by_name.setdefault(row.name, []).append(row)
    return [
        ParameterHistory(name=str(value), label=str(label), rows=by_name[value])
        for value, label in Parameter.Name.choices
        if value in by_name
    ]


def basic_payers_history() -> list[BasicPayer]:
    return list(BasicPayer.objects.order_by("valid_from"))


def public_holidays_between(*, start: date, end: date) -> frozenset[date]:
    """The public holidays from `start` to `end`, both included."""
    return frozenset(PublicHoliday.objects.filter(day__gte=start, day__lte=end).values_list("day", flat=True))


def public_holidays_from(*, start: date) -> list[PublicHoliday]:
    """The holidays of `start`'s year and later, for the referentials page."""
    return list(PublicHoliday.objects.filter(day__gte=date(start.year, 1, 1)))
