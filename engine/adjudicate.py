"""Adjudication of claim files: eligibility, admissibility, basis, AMO,
complementary, remainder; one LineDecision per line, in order.

Lines are decided in file order and each accepted line is recorded in the
History at once, so a duplicate or a ceiling inside one file behaves exactly as
across files; a batch is therefore one-by-one calls sharing the History.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import fields
from datetime import date

from .eligibility import covered_window, eligibility_check
from .history import History, duplicate_key
from .reasons import (
    CEILING_REACHED,
    DUPLICATE,
    FREQUENCY_LIMIT,
    INVALID_AMOUNT,
    INVALID_DATE,
    LATE_FILING,
    PRIOR_APPROVAL_REQUIRED,
    PROVIDER_UNKNOWN,
)
from .snapshot import ALD_CATEGORY, Snapshot
from .tariff import resolve
from .trace import Trace
from .types import ClaimFile, ClaimLine, FileDecision, LineDecision, Params, Provider

__all__ = [
    "adjudicate_batch",
    "adjudicate_file",
    "history_from_accepted",
    "line_category",
]

# A frozen dataclass's __init__ sets each field through object.__setattr__,
# which costs more than all the arithmetic of a line; the engine fills the slots
# of its decisions directly (same type, same immutability for everyone else).
_new = object.__new__
(_set_ref, _set_status, _set_paid, _set_basis, _set_amo, _set_compl, _set_rem, _set_reasons, _set_trace) = (
    LineDecision.__dict__[f.name].__set__ for f in fields(LineDecision)
)


def _line_decision(
    ref: str,
    status: str,
    paid: int,
    basis: int,
    amo: int,
    complementary: int,
    remainder: int,
    reasons: tuple[str, ...],
    trace: tuple[Trace, ...],
) -> LineDecision:
    d = _new(LineDecision)
    _set_ref(d, ref)
    _set_status(d, status)
    _set_paid(d, paid)
    _set_basis(d, basis)
    _set_amo(d, amo)
    _set_compl(d, complementary)
    _set_rem(d, remainder)
    _set_reasons(d, reasons)
    _set_trace(d, trace)
    return d


_FILE_SETTERS = tuple(FileDecision.__dict__[f.name].__set__ for f in fields(FileDecision))


def _file_decision(*values: object) -> FileDecision:
    d = _new(FileDecision)
    for set_field, value in zip(_FILE_SETTERS, values, strict=True):
        set_field(d, value)
    return d


def adjudicate_file(file: ClaimFile, snapshot: Snapshot, history: History) -> FileDecision:
    """Decide every line of `file`; accepted lines are recorded into `history`."""
    return _adjudicate(file, snapshot, history, {})


def _adjudicate(
    file: ClaimFile,
    snapshot: Snapshot,
    history: History,
    windows: dict[tuple[int, int], tuple[date, date] | None],
) -> FileDecision:
    # `windows` memoises covered_window (pure) by (id(facts), id(params)); callers
    # keep every facts object alive while the memo lives, so ids are not reused
    # (params objects live in the snapshot).
    facts = file.beneficiary
    bid = facts.beneficiary_id
    provider = file.provider
    sector = provider.sector
    filed_on = file.filed_on
    by_member = file.filed_by == "member"
    no_inpe = not by_member and not provider.inpe
    hospital = "hospital_public" if sector == "public" else "hospital_private"
    who = provider.inpe or f"{sector}/{provider.kind}"  # as in history.duplicate_key
    seen = history.seen
    days = snapshot.days
    fid = id(facts)
    window_params: Params | None = None
    window: tuple[date, date] | None = None
    consumed = history.consumed
    out: list[LineDecision] = []
    tp = tb = ta = tc = tr = 0
    for line in file.lines:
        on = line.date
        paid = line.paid
        qty = line.quantity
        kind = line.kind
        code = line.code
        day = days.get(on) or snapshot.day(on)
        amount, category, approval, freq, reason, text = resolve(line, sector, snapshot, day)
        reasons: list[str] = [] if reason is None else [reason]
        notes: list[Trace] = []  # trace of rejections and ceilings, after the rule entries
        if paid <= 0 or qty <= 0 or line.coefficient_x100 <= 0:
            reasons.insert(0, INVALID_AMOUNT)
        params = day.params
        if params is not window_params:
            wkey = (fid, id(params))
            if wkey in windows:
                window = windows[wkey]
            else:
                window = windows[wkey] = covered_window(facts, params)
            window_params = params
        if window is None or not window[0] <= on <= window[1]:
            el = eligibility_check(facts, on, params)
            if not el.covered:
                reasons.append(el.reason or "")
                notes.append(el.detail)
        if filed_on < on:
            reasons.append(INVALID_DATE)
        else:
            end = line.treatment_end
            start = end if end is not None and end > on else on
            limit = params.member_filing_days if by_member else params.provider_filing_days
            delay = (filed_on - start).days
            if delay > limit:
                reasons.append(LATE_FILING)
                notes.append(Trace("late_filing", day=delay, limit=limit))
        if no_inpe:
            reasons.append(PROVIDER_UNKNOWN)
        if approval:
            if line.prior_approval:
                notes.append(Trace("prior_approval", ref=line.prior_approval))
            else:
                reasons.append(PRIOR_APPROVAL_REQUIRED)
        key = (bid, kind, code or f"@{line.unit_price}", on, who)
        if key in seen:
            reasons.append(DUPLICATE)
        if freq is not None:
            fdays = freq.frequency_days or 0
            fmax = freq.frequency_max or 0
            done = history.count_acts(bid, code, on, fdays)
            if done + qty > fmax:
                reasons.append(FREQUENCY_LIMIT)
                notes.append(Trace("frequency", code=code, done=done, days=fdays, max=fmax))
        basis = paid if amount is None or amount > paid else amount
        if basis < 0:
            basis = 0
        if reasons:
            kept = paid if paid > 0 else 0
            out.append(
                _line_decision(
                    line.ref, "rejected", kept, basis, 0, 0, kept, tuple(dict.fromkeys(reasons)), (text, *notes)
                )
            )
            tp += kept
            tr += kept
            continue

        setting = hospital if line.inpatient or kind == "stay" else "ambulatory"
        category = category or ""
        ald = line.ald or ""
        is_ald = ald != "" and ald in day.ald and ald in facts.ald
        rate_key = (ALD_CATEGORY if is_ald else category, setting)
        rated = day.rates.get(rate_key) or snapshot.amo_rate_traced(*rate_key, on)
        rate = rated[0]
        amo = 0 if rate is None else (basis * rate + 5000) // 10000
        amo_text = Trace("amo.ald", rate=rate, ald=ald) if is_ald and rate is not None else rated[1]
        if ald and not is_ald:  # said, but not a listed illness recognised on that date: usual rate, said so
            notes.append(Trace("ald.not_recognised" if ald in day.ald else "ald.not_listed", ald=ald))

        status = "accepted"
        compl = 0
        planned = day.plan.get(category)
        if planned is not None:
            plan = planned[0]
            rate_bp = plan.rate_bp
            compl = (basis * rate_bp + 5000) // 10000 if rate_bp is not None else (plan.flat or 0) * qty
            room = paid - amo
            if compl > room:
                compl = room
            ceiling = plan.ceiling
            if ceiling is not None and compl > 0:
                ck = plan.ceiling_key
                year = on.year
                ceiling_at = (bid, year, ck)
                used = consumed.get(ceiling_at, 0)
                notes.append(Trace("ceiling", key=ck, year=year, ceiling=ceiling, used=used))
                left = ceiling - used
                if compl > left:
                    compl = left if left > 0 else 0
                    status = "reduced"
                    reasons.append(CEILING_REACHED)
                if compl:
                    consumed[ceiling_at] = used + compl
        remainder = paid - amo - compl
        seen.add(key)
        if freq is not None:
            history.add_act(bid, code, on, qty)
        out.append(
            _line_decision(
                line.ref,
                status,
                paid,
                basis,
                amo,
                compl,
                remainder,
                tuple(reasons),
                (text, amo_text, *notes) if planned is None else (text, amo_text, planned[1], *notes),
            )
        )
        tp += paid
        tb += basis
        ta += amo
        tc += compl
        tr += remainder
    return _file_decision(file.ref, tuple(out), tp, tb, ta, tc, tr)


@contextmanager
def gc_paused(pause: bool = True) -> Iterator[None]:
    """CPython's cyclic garbage collector suspended inside the block (when `pause`), its previous
    state restored after. Process-wide state: for a worker or command that owns its process, not
    for code running among request threads."""
    was_enabled = gc.isenabled()
    if pause:
        gc.disable()
    try:
        yield
    finally:
        if pause and was_enabled:
            gc.enable()


def adjudicate_batch(
    files: Iterable[ClaimFile], snapshot: Snapshot, history: History, *, pause_gc: bool = False
) -> list[FileDecision]:
    """Files in order, sharing `history`: identical to one-by-one calls.

    pause_gc=True suspends CPython's cyclic garbage collector for the call
    (`gc_paused`). The engine creates no reference cycles, but the decisions a large
    batch keeps alive make the collector rescan them again and again: about a third
    of the run time on a chunk of 10,000 files. For a worker that owns its process
    (the batch job), not for code running among request threads.
    """
    files = list(files)  # keeps every facts object alive for the eligibility memo
    windows: dict[tuple[int, int], tuple[date, date] | None] = {}
    with gc_paused(pause_gc):
        return [_adjudicate(f, snapshot, history, windows) for f in files]


def line_category(line: ClaimLine, provider: Provider, snapshot: Snapshot) -> str | None:
    """The category the engine files `line` under (None when its code is unknown)."""
    return resolve(line, provider.sector, snapshot, snapshot.day(line.date))[1]


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
        if line.kind in ("act", "stay") and line.code:
            act = snapshot.act(line.code, line.date)
            if act is not None and act.frequency_max is not None and act.frequency_days is not None:
                h.add_act(bid, line.code, line.date, line.quantity)
        if decision.complementary:
            category = line_category(line, file.provider, snapshot)
            plan = snapshot.plan_for(category, line.date) if category else None
            if plan is not None and plan.ceiling is not None:
                h.consume(bid, line.date.year, plan.ceiling_key, decision.complementary)
    return h
