"""Codes by code or label: the counter's completion, the member's "what was bought or done" search, and the
labels shown beside codes already typed.

Acts (lab tests and imaging are acts) and medicines in force today, key letters for the bare-letter acts.
Labels are in the reader's language: the Arabic label on Arabic pages, the French one otherwise (the
referentials hold no English label); a medicine's name is its name in every language.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date
from typing import TypeVar

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import get_language

from referentials.choices import Category
from referentials.codes import medicine_code_normalise
from referentials.models import Act, KeyLetter, Medicine

_Row = TypeVar("_Row", Act, Medicine, KeyLetter)
SHOWN = 12  # suggestions at most: a short list the keyboard can walk
STAY_CATEGORY = Category.HOSPITAL_STAY


@dataclass(frozen=True)
class CodeOption:
    code: str
    label: str
    kind: str  # the claim line's kind: act, medicine or stay
    category: str  # the act's category ("medicine" for medicines)


def _label_field() -> str:
    return "label_ar" if (get_language() or "").startswith("ar") else "label_fr"


def _in_force(qs: QuerySet[_Row], on: date) -> QuerySet[_Row]:
    return qs.filter(Q(valid_to__isnull=True) | Q(valid_to__gt=on), valid_from__lte=on)


def _act_kind(category: str) -> str:
    return "stay" if category == STAY_CATEGORY else "act"


def _rank(option: CodeOption, q: str) -> tuple[int, str]:
    """Exact code first, then codes starting with the text, then the labels holding it."""
    code, text = option.code.upper(), q.upper()
    return (0 if code == text else 1 if code.startswith(text) else 2, option.code)


def codes_search(
    *, query: str, kinds: Collection[str] = ("act", "medicine", "stay"), categories: Collection[str] = ()
) -> list[CodeOption]:
    """At most SHOWN codes whose code starts with `query` or (from two letters on) whose label holds it.

    `kinds` and `categories` (act categories; empty: all) narrow the search: the member's portal asks
    for the kind of care in plain words first. Four queries at most, whatever the referentials' size.
    """
    q = query.strip()[:40]
    if not q:
        return []
    today, field, named = timezone.localdate(), _label_field(), len(q) >= 2
    found: list[CodeOption] = []
    if "act" in kinds and not categories:
        letters = _in_force(KeyLetter.objects.filter(letter__istartswith=q), today)
        letter_rows = letters.order_by("letter").values_list("letter", "category").distinct()[:5]
        found += [CodeOption(k, str(Category(c).label), "act", c) for k, c in letter_rows]
    act_kinds = [k for k in kinds if k in ("act", "stay")]
    if act_kinds:
        acts = _in_force(Act.objects.all(), today).filter(
            Q(code__istartswith=q) | (Q(**{f"{field}__icontains": q}) if named else Q(pk__in=[]))
        )
        if categories:
            acts = acts.filter(category__in=categories)
        if act_kinds == ["stay"]:
            acts = acts.filter(category=STAY_CATEGORY)
        elif act_kinds == ["act"]:
            acts = acts.exclude(category=STAY_CATEGORY)
        rows = acts.order_by("code").values_list("code", field, "category").distinct()[:SHOWN]
        found += [CodeOption(c, label, _act_kind(cat), cat) for c, label, cat in rows]
    if "medicine" in kinds:
        digits = medicine_code_normalise(q)
        meds = _in_force(Medicine.objects.all(), today).filter(
            Q(code__istartswith=digits or q) | (Q(name__icontains=q) if named else Q(pk__in=[]))
        )
        med_rows = meds.order_by("name").values_list("code", "name", "form").distinct()[:SHOWN]
        found += [CodeOption(c, f"{n} · {f}" if f else n, "medicine", "medicine") for c, n, f in med_rows]
    return sorted(found, key=lambda o: _rank(o, q))[:SHOWN]


def codes_labels(*, codes: Iterable[tuple[str, str]]) -> dict[tuple[str, str], str]:
    """(kind, code) -> label in the reader's language, for codes already typed; two queries."""
    wanted = {(k, c.strip().upper() if k != "medicine" else medicine_code_normalise(c)) for k, c in codes if c}
    today, field = timezone.localdate(), _label_field()
    acts = {c for k, c in wanted if k in ("act", "stay")}
    meds = {c for k, c in wanted if k == "medicine"}
    labels: dict[tuple[str, str], str] = {}
    if acts:
        for code, label, cat in _in_force(Act.objects.filter(code__in=acts), today).values_list(
            "code", field, "category"
        ):
            labels[(_act_kind(cat), code)] = label
    if meds:
        for code, name, form in _in_force(Medicine.objects.filter(code__in=meds), today).values_list(
            "code", "name", "form"
        ):
            labels[("medicine", code)] = f"{name} · {form}" if form else name
    return labels
