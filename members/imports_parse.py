"""Parsing the rows of a roster file (format in `members.imports_read`): one `RowParser` per file.

Per row: no dict, no strptime for the usual date shapes, no model validation (`full_clean`);
each field is checked as in `members.validators` and every error is kept with its field.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from members.imports_read import (
    _FALSE,
    _MARITAL,
    _MATRICULE,
    _MAX,
    _RIB_NOISE,
    _SEXES,
    _TRUE,
    BAD_BOOLEAN,
    BAD_DATE,
    BAD_EMAIL,
    BAD_MARITAL,
    BAD_MATRICULE,
    BAD_RELATION,
    BAD_SEX,
    CERTIFICATE_REQUIRED,
    COLUMNS,
    FUTURE_DATE,
    RELATIONS,
    REQUIRED,
    TOO_LONG,
    Row,
    RowError,
)  # fmt: skip
from members.models import Relation
from members.normalize import search_fold
from members.validators import CIN_INVALID, RIB_INVALID, validate_cin, validate_rib

# Folded first names (a dependant's key): few distinct names in a whole roster.
fold_name = functools.lru_cache(maxsize=65536)(search_fold)

_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_FR = re.compile(r"^(\d{2})/(\d{2})/(\d{4})$")


def _date(value: Any) -> dt.date:
    if isinstance(value, dt.date):
        return value
    found = _ISO.match(value)  # the usual shapes without strptime; dt.date raises ValueError as strptime would
    if found:
        return dt.date(int(found[1]), int(found[2]), int(found[3]))
    found = _FR.match(value)
    if found:
        return dt.date(int(found[3]), int(found[2]), int(found[1]))
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):  # single-digit days and months
        try:
            return dt.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    raise ValueError(value)


def _text(value: Any) -> str:
    """A cell as text: runs of whitespace collapsed to one space, ends stripped."""
    if value == "":
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return " ".join(value.split()) if isinstance(value, str) else " ".join(str(value).split())


_EMPTY = ""


class RowParser:
    """Parses the rows of one file: column positions resolved once, then `parse(line, cells)`."""

    def __init__(self, positions: dict[str, int], today: dt.date) -> None:
        self.today = today
        self.at = tuple(positions.get(name, -1) for name in COLUMNS)

    def parse(self, line: int, cells: tuple[Any, ...]) -> Row | list[RowError]:
        """A typed Row, or every error of that line."""
        size = len(cells)
        raw = [cells[i] if 0 <= i < size else _EMPTY for i in self.at]
        (matricule, relation, cin, last, first, last_ar, first_ar, birth_raw, sex, marital, joined_raw,
         amo, phone, email, rib, school_raw, disabled_raw, certificate) = raw  # fmt: skip
        errors: list[RowError] = []

        def error(field: str, message: Any) -> None:
            errors.append(RowError(line, field, str(message)))

        def text(field: str, value: Any, *, required: bool = False) -> str:
            value = _text(value)
            if required and not value:
                error(field, REQUIRED)
            elif field in _MAX and len(value) > _MAX[field]:
                error(field, TOO_LONG % {"max": _MAX[field]})
            return value

        def date(field: str, value: Any, *, required: bool = False, past: bool = False) -> dt.date | None:
            if value == "":
                if required:
                    error(field, REQUIRED)
                return None
            try:
                day = _date(value)
            except ValueError:
                error(field, BAD_DATE)
                return None
            if past and day > self.today:
                error(field, FUTURE_DATE)
            return day

        def choice(field: str, value: Any, table: dict[str, Any], message: Any, *, required: bool) -> str:
            value = _text(value).lower()
            if not value:
                if required:
                    error(field, REQUIRED)
                return ""
            if value not in table:
                error(field, message)
                return ""
            return str(table[value])

        def boolean(field: str, value: Any) -> bool:
            value = _text(value).lower()
            if value in _TRUE:
                return True
            if value not in _FALSE:
                error(field, BAD_BOOLEAN)
            return False

        def check(validator: Any, value: str, field: str, message: Any) -> None:
            try:
                validator(value)
            except ValidationError:
                error(field, message)

        matricule = text("matricule", matricule, required=True)
        if matricule and not _MATRICULE.match(matricule):
            error("matricule", BAD_MATRICULE)
        relation = choice("relation", relation, RELATIONS, BAD_RELATION, required=True)
        is_self = relation == Relation.SELF
        cin = text("cin", cin, required=is_self).upper().replace(" ", "")
        if cin:
            check(validate_cin, cin, "cin", CIN_INVALID)
        last = text("last_name", last, required=True)
        first = text("first_name", first, required=True)
        last_ar = text("last_name_ar", last_ar, required=True)
        first_ar = text("first_name_ar", first_ar, required=True)
        birth_date = date("birth_date", birth_raw, required=True, past=True)
        sex = choice("sex", sex, _SEXES, BAD_SEX, required=True)
        marital = choice("marital_status", marital, _MARITAL, BAD_MARITAL, required=is_self)
        joined_on = date("joined_on", joined_raw, required=is_self)
        from_other_amo = boolean("from_other_amo", amo)
        phone = text("phone", phone)
        email = text("email", email)
        if email:
            check(validate_email, email, "email", BAD_EMAIL)
        rib = _RIB_NOISE.sub("", text("rib", rib))
        if rib:
            check(validate_rib, rib, "rib", RIB_INVALID)
        school = date("school_certificate_until", school_raw)
        disabled = boolean("disabled", disabled_raw)
        certificate = text("disability_certificate", certificate)
        if disabled and not certificate:
            error("disability_certificate", CERTIFICATE_REQUIRED)
        if errors or birth_date is None:
            return errors
        return Row(
            line, matricule, relation, cin, last, first, last_ar, first_ar, birth_date, sex, marital, joined_on,
            from_other_amo, phone, email, rib, school, disabled, certificate,
        )  # fmt: skip
