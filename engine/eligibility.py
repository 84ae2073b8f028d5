"""Coverage of a beneficiary on a date of care.

Public and stable: the members app calls `eligibility_check` for its
eligibility certificates and the provider API, so both answer the same way.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from .reasons import AGE_LIMIT, NOT_COVERED, RIGHTS_SUSPENDED, WAITING_PERIOD
from .trace import Trace
from .types import BeneficiaryFacts, Params, Suspension

__all__ = ["Eligibility", "add_months", "anniversary", "covered_window", "covered_windows", "eligibility_check"]


@dataclass(frozen=True, slots=True)
class Eligibility:
    covered: bool
    reason: str | None  # a code of reasons.REASONS when not covered
    detail: Trace  # the trace entry of the answer (no personal data)


def add_months(d: date, months: int) -> date:
    """Calendar months, clamped to the month end.

    31 Jan + 1 month = 28 Feb (29 in a leap year); 30 Nov + 3 months = 28/29 Feb.
    That is how people count "three months", and it never jumps into the month
    after, as adding 30-day months would.
    """
    total = d.month - 1 + months
    year = d.year + total // 12
    month = total % 12 + 1
    day = min(d.day, calendar.monthrange(year, month)[1])
    return date(year, month, day)


def anniversary(birth: date, years: int) -> date:
    """The birthday on which someone born on `birth` turns `years`.

    Someone born on 29 February turns a year older on 1 March in common years
    (they have not yet lived a full year on 28 February).
    """
    try:
        return birth.replace(year=birth.year + years)
    except ValueError:
        return date(birth.year + years, 3, 1)


_BEFORE_BIRTH = Trace("cover.before_birth")
_RESIGNED = Trace("cover.resigned")
_AFTER_DEATH = Trace("cover.after_death")
_SUSPENDED = Trace("cover.suspended")


def eligibility_check(facts: BeneficiaryFacts, on: date, params: Params) -> Eligibility:
    """Is `facts` covered for care given on `on`?  First failing rule wins."""
    if facts.birth_date > on:
        return Eligibility(False, NOT_COVERED, _BEFORE_BIRTH)
    status = facts.member_status
    if status == "resigned":
        return Eligibility(False, NOT_COVERED, _RESIGNED)
    if status == "deceased":
        # Survivors keep their rights; the member is covered up to the day of death.
        if facts.relation == "self":
            died = facts.member_died_on
            if died is None or on > died:
                return Eligibility(False, NOT_COVERED, _AFTER_DEATH)
    elif status not in ("active", "retired", "suspended"):
        return Eligibility(False, NOT_COVERED, Trace("cover.unknown_status", status=status))
    if status == "suspended":
        return Eligibility(False, RIGHTS_SUSPENDED, _SUSPENDED)
    suspensions = facts.suspensions
    if suspensions:  # usually none; a restored suspension still refuses its own dates
        for start, end in suspensions:
            if start <= on and (end is None or on < end):
                return Eligibility(False, RIGHTS_SUSPENDED, Trace("cover.suspended_from", date=start.isoformat()))
    relation = facts.relation
    if relation == "child":
        if not facts.disabled and on >= anniversary(facts.birth_date, params.child_age_limit + 1):
            student_end = anniversary(facts.birth_date, params.student_age_limit + 1)
            until = facts.student_until
            if until is None or on > until:
                return Eligibility(False, AGE_LIMIT, Trace("cover.child_over", age=params.child_age_limit))
            if on >= student_end:
                return Eligibility(False, AGE_LIMIT, Trace("cover.student_over", age=params.student_age_limit))
    elif relation not in ("self", "spouse"):
        return Eligibility(False, NOT_COVERED, Trace("cover.unknown_relation", relation=relation))
    if not facts.from_other_amo:
        joined = facts.member_joined
        months = params.waiting_months
        # Whole months between the two dates decide most cases without building
        # a date; only the month where the period ends needs the exact day.
        gap = (on.year - joined.year) * 12 + on.month - joined.month - months
        if gap < 0 or (gap == 0 and on < add_months(joined, months)):
            covered_from = add_months(joined, months)
            return Eligibility(False, WAITING_PERIOD, Trace("cover.waiting", date=covered_from.isoformat()))
    return _COVERED


_COVERED = Eligibility(True, None, Trace("cover.ok"))


_DAY = timedelta(days=1)


def covered_window(facts: BeneficiaryFacts, params: Params) -> tuple[date, date] | None:
    """[first, last] dates of care on which `eligibility_check` surely says covered.

    Every rule but the suspensions is a bound on the date of care; a suspension cuts a hole in
    that interval, so coverage is a few intervals (`covered_windows`). This gives the last of
    them (care is mostly recent, after any suspension): the engine tests a date against it
    instead of re-running the rules for each line, and calls `eligibility_check` for any date
    outside, which answers exactly (covered in an earlier window, or the reason). None when
    nothing is covered.
    """
    if not facts.suspensions:  # nearly everyone: the rules' interval as it is, no list built
        base = _rules_window(facts, params)
        return base if base is not None and base[0] <= base[1] else None
    windows = covered_windows(facts, params)
    return windows[-1] if windows else None


def covered_windows(facts: BeneficiaryFacts, params: Params) -> tuple[tuple[date, date], ...]:
    """Every [first, last] interval of dates of care covered, in order (empty when none)."""
    base = _rules_window(facts, params)
    if base is None or base[0] > base[1]:
        return ()
    first, last = base
    out: list[tuple[date, date]] = []
    for start, end in sorted(facts.suspensions, key=_start):
        if start > first:
            out.append((first, min(last, start - _DAY)))
        if end is None or end > last:
            first = date.max
            break
        first = max(first, end)
    if first <= last:
        out.append((first, last))
    return tuple(w for w in out if w[0] <= w[1])


def _start(s: Suspension) -> date:
    return s.start


def _rules_window(facts: BeneficiaryFacts, params: Params) -> tuple[date, date] | None:
    """The interval of the rules other than suspensions (maybe empty); None when never covered."""
    status = facts.member_status
    relation = facts.relation
    if status not in ("active", "retired", "deceased") or relation not in ("self", "spouse", "child"):
        return None
    first = facts.birth_date
    last = date.max
    if status == "deceased" and relation == "self":
        if facts.member_died_on is None:
            return None
        last = facts.member_died_on
    if relation == "child" and not facts.disabled:
        end = anniversary(facts.birth_date, params.child_age_limit + 1)  # first day not covered
        until = facts.student_until
        if until is not None and until >= end:
            student_end = anniversary(facts.birth_date, params.student_age_limit + 1)
            end = max(end, min(student_end, until + _DAY) if until < date.max else student_end)
        last = min(last, end - _DAY)
    if not facts.from_other_amo:
        first = max(first, add_months(facts.member_joined, params.waiting_months))
    return (first, last)
