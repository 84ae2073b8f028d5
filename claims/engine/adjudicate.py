"""Adjudication of claim files: eligibility, admissibility, basis, AMO,
complementary, remainder; one LineDecision per line, in order.

Lines are decided in file order and each accepted line is recorded in the
History at once, so a duplicate or a ceiling inside one file behaves exactly as
across files; a batch is therefore one-by-one calls sharing the History.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from .eligibility import Eligibility, eligibility_check
from .history import History, duplicate_key
from .money import format_centimes as fmt
from .reasons import (
    CEILING_REACHED,
    DUPLICATE,
    FREQUENCY_LIMIT,
    INVALID_AMOUNT,
    INVALID_DATE,
    LATE_FILING,
    NOT_REIMBURSABLE,
    PRIOR_APPROVAL_REQUIRED,
    PROVIDER_UNKNOWN,
    UNKNOWN_CODE,
)
from .snapshot import ALD_CATEGORY, ActRef, Snapshot
from .types import ClaimFile, ClaimLine, FileDecision, LineDecision, Provider

__all__ = [
    "adjudicate_batch",
    "adjudicate_file",
    "history_from_accepted",
    "line_category",
]

STAY_CATEGORY = "stay"
MEDICINE_CATEGORY = "medicine"


def _pct(bp: int) -> str:
    whole, frac = divmod(bp, 100)
    return f"{whole}%" if not frac else f"{whole}.{frac:02d}".rstrip("0") + "%"


def _coef(x100: int) -> str:
    whole, frac = divmod(x100, 100)
    return str(whole) if not frac else f"{whole}.{frac:02d}".rstrip("0")


class _Tariff:
    """Result of resolving a line against the referentials (mutable scratch)."""

    __slots__ = ("amount", "approval", "category", "freq", "reasons", "trace")

    def __init__(self) -> None:
        self.amount: int | None = None  # before the cap by paid; None = paid
        self.category: str | None = None
        self.approval = False
        self.freq: ActRef | None = None
        self.reasons: list[str] = []
        self.trace: list[str] = []


def _act_tariff(t: _Tariff, act: ActRef, code: str, sector: str, qty: int, snapshot: Snapshot, on: date) -> None:
    t.category = act.category
    t.approval = act.needs_prior_approval
    if act.frequency_max is not None:
        t.freq = act
    if act.tariff is not None:
        t.amount = act.tariff * qty
        t.trace.append(f"tariff {code} {fmt(act.tariff)} × {qty}")
        return
    letter = act.key_letter or ""
    kl = snapshot.key_letter(letter, sector, on)
    if kl is None:
        t.reasons.append(UNKNOWN_CODE)
        t.trace.append(f"no value for key letter {letter} {sector}")
        return
    t.amount = (act.coefficient_x100 * kl.value * qty + 50) // 100
    t.trace.append(f"tariff {code} = {letter}{_coef(act.coefficient_x100)} {sector} {fmt(kl.value)} × {qty}")


def _resolve(line: ClaimLine, sector: str, snapshot: Snapshot) -> _Tariff:
    t = _Tariff()
    kind, code, on, qty = line.kind, line.code, line.date, line.quantity
    if kind == "act":
        act = snapshot.act(code, on) if code else None
        if act is not None:
            _act_tariff(t, act, code, sector, qty, snapshot, on)
            return t
        kl = snapshot.key_letter(code, sector, on) if code else None
        if kl is None:
            t.reasons.append(UNKNOWN_CODE)
            t.trace.append(f"unknown act {code or '(none)'}")
            return t
        t.category = kl.category
        coef = line.coefficient_x100
        t.amount = (coef * kl.value * qty + 50) // 100
        t.trace.append(f"tariff {code} {sector} {fmt(kl.value)} × {_coef(coef)} × {qty}")
    elif kind == "medicine":
        t.category = MEDICINE_CATEGORY
        if code:
            med = snapshot.medicine(code, on)
            if med is None:
                t.reasons.append(UNKNOWN_CODE)
                t.trace.append(f"unknown medicine {code}")
                return t
            if not med.reimbursable:
                t.reasons.append(NOT_REIMBURSABLE)
            t.approval = med.needs_prior_approval
            if med.reference_price is not None:
                unit, what = med.reference_price, "generic"
            else:
                unit, what = med.public_price, "public"
        else:
            ref = line.reference_unit_price
            unit, what = (ref, "generic") if ref is not None else (line.unit_price, "public")
            if unit is None:
                t.reasons.append(UNKNOWN_CODE)
                t.trace.append("medicine without code nor price")
                return t
            if unit <= 0:
                t.reasons.append(INVALID_AMOUNT)
        t.amount = unit * qty
        t.trace.append(f"medicine {code or '-'} {what} {fmt(unit)} × {qty}")
    elif kind == "stay":
        if code:
            act = snapshot.act(code, on)
            if act is None:
                t.reasons.append(UNKNOWN_CODE)
                t.trace.append(f"unknown stay code {code}")
                return t
            _act_tariff(t, act, code, sector, qty, snapshot, on)
        else:
            t.category = STAY_CATEGORY
            t.trace.append("stay without tariff code: basis = paid")
    else:
        t.reasons.append(UNKNOWN_CODE)
        t.trace.append(f"unknown line kind {kind}")
    return t


def adjudicate_file(file: ClaimFile, snapshot: Snapshot, history: History) -> FileDecision:
    """Decide every line of `file`; accepted lines are recorded into `history`."""
    facts = file.beneficiary
    bid = facts.beneficiary_id
    provider = file.provider
    sector = provider.sector
    filed_on = file.filed_on
    by_member = file.filed_by == "member"
    no_inpe = not by_member and not provider.inpe
    hospital = "hospital_public" if sector == "public" else "hospital_private"
    seen = history.seen
    eligible: dict[date, Eligibility] = {}
    out: list[LineDecision] = []
    tp = tb = ta = tc = tr = 0
    for line in file.lines:
        on = line.date
        paid = line.paid
        qty = line.quantity
        t = _resolve(line, sector, snapshot)
        reasons = t.reasons
        trace = t.trace
        if paid <= 0 or qty <= 0 or line.coefficient_x100 <= 0:
            reasons.insert(0, INVALID_AMOUNT)
        params = snapshot.params_on(on)
        el = eligible.get(on)
        if el is None:
            el = eligible[on] = eligibility_check(facts, on, params)
        if not el.covered:
            reasons.append(el.reason or "")
            trace.append(el.detail)
        if filed_on < on:
            reasons.append(INVALID_DATE)
        else:
            end = line.treatment_end
            start = end if end is not None and end > on else on
            limit = params.member_filing_days if by_member else params.provider_filing_days
            delay = (filed_on - start).days
            if delay > limit:
                reasons.append(LATE_FILING)
                trace.append(f"filed day {delay}, limit {limit}")
        if no_inpe:
            reasons.append(PROVIDER_UNKNOWN)
        if t.approval and not line.prior_approval:
            reasons.append(PRIOR_APPROVAL_REQUIRED)
        key = duplicate_key(bid, line, provider)
        if key in seen:
            reasons.append(DUPLICATE)
        freq = t.freq
        if freq is not None and freq.frequency_max is not None and freq.frequency_days:
            done = history.count_acts(bid, line.code, on, freq.frequency_days)
            if done + qty > freq.frequency_max:
                reasons.append(FREQUENCY_LIMIT)
                trace.append(f"frequency {line.code} {done} in {freq.frequency_days} days, max {freq.frequency_max}")
        amount = t.amount
        basis = paid if amount is None or amount > paid else amount
        if basis < 0:
            basis = 0
        if reasons:
            kept = paid if paid > 0 else 0
            d = LineDecision(line.ref, "rejected", kept, basis, 0, 0, kept, tuple(dict.fromkeys(reasons)), tuple(trace))
            out.append(d)
            tp += kept
            tr += kept
            continue

        setting = hospital if line.inpatient or line.kind == "stay" else "ambulatory"
        category = t.category or ""
        ald = line.ald
        if ald and ald in facts.ald and snapshot.ald_listed(ald, on):
            rate = snapshot.amo_rate(ALD_CATEGORY, setting, on)
            what = f"ALD {ald}"
        else:
            rate = snapshot.amo_rate(category, setting, on)
            what = MEDICINE_CATEGORY if category == MEDICINE_CATEGORY else setting
        if rate is None:
            amo = 0
            trace.append(f"no AMO rate for {category} {setting}")
        else:
            amo = (basis * rate + 5000) // 10000
            trace.append(f"AMO {_pct(rate)} {what}")

        status = "accepted"
        compl = 0
        plan = snapshot.plan_for(category, on)
        if plan is not None:
            if plan.rate_bp is not None:
                compl = (basis * plan.rate_bp + 5000) // 10000
                trace.append(f"complementary {_pct(plan.rate_bp)} {category}")
            else:
                compl = (plan.flat or 0) * qty
                trace.append(f"complementary flat {fmt(plan.flat or 0)} {category}")
            room = paid - amo
            if compl > room:
                compl = room
            ceiling = plan.ceiling
            if ceiling is not None and compl > 0:
                ck = plan.ceiling_key
                year = on.year
                used = history.used(bid, year, ck)
                trace.append(f"ceiling {ck} {year} {fmt(ceiling)} used {fmt(used)}")
                left = ceiling - used
                if compl > left:
                    compl = left if left > 0 else 0
                    status = "reduced"
                    reasons.append(CEILING_REACHED)
                if compl:
                    history.consume(bid, year, ck, compl)
        remainder = paid - amo - compl
        seen.add(key)
        if line.kind == "act" and line.code:
            history.add_act(bid, line.code, on, qty)
        out.append(LineDecision(line.ref, status, paid, basis, amo, compl, remainder, tuple(reasons), tuple(trace)))
        tp += paid
        tb += basis
        ta += amo
        tc += compl
        tr += remainder
    return FileDecision(file.ref, tuple(out), tp, tb, ta, tc, tr)


def adjudicate_batch(files: Iterable[ClaimFile], snapshot: Snapshot, history: History) -> list[FileDecision]:
    """Files in order, sharing `history`: identical to one-by-one calls."""
    return [adjudicate_file(f, snapshot, history) for f in files]


def line_category(line: ClaimLine, provider: Provider, snapshot: Snapshot) -> str | None:
    """The category the engine files `line` under (None when its code is unknown)."""
    return _resolve(line, provider.sector, snapshot).category


def history_from_accepted(items: Iterable[tuple[ClaimFile, ClaimLine, LineDecision]], snapshot: Snapshot) -> History:
    """Rebuild a History from earlier decided lines (rejected ones are skipped).

    Ceilings are charged with each line's complementary amount under the ceiling
    key its category has in `snapshot` on the line's date.
    """
    h = History()
    for file, line, decision in items:
        if decision.status == "rejected":
            continue
        bid = file.beneficiary.beneficiary_id
        h.seen.add(duplicate_key(bid, line, file.provider))
        if line.kind == "act" and line.code:
            h.add_act(bid, line.code, line.date, line.quantity)
        if decision.complementary:
            category = line_category(line, file.provider, snapshot)
            plan = snapshot.plan_for(category, line.date) if category else None
            if plan is not None and plan.ceiling is not None:
                h.consume(bid, line.date.year, plan.ceiling_key, decision.complementary)
    return h
