"""Invariants over generated referentials and claim files (hypothesis)."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine import (
    BeneficiaryFacts,
    ClaimFile,
    ClaimLine,
    History,
    Provider,
    adjudicate_batch,
    adjudicate_file,
    format_centimes,
    line_category,
    snapshot_build,
)

money = st.integers(min_value=1, max_value=200_000)
bp = st.integers(min_value=0, max_value=10_000)
CATS = ["consultation", "optics", "surgery", "medicine", "stay", "lab"]


@st.composite
def snapshots(draw):
    def m():
        return format_centimes(draw(money))

    plan = []
    for cat in CATS:
        kind = draw(st.sampled_from(["none", "rate", "flat"]))
        if kind == "none":
            continue
        row = {"category": cat, "ceiling": draw(st.none() | st.builds(format_centimes, money))}
        row.update({"rate_bp": draw(bp)} if kind == "rate" else {"flat": m()})
        plan.append(row)
    # optics and lab share one ceiling key sometimes, to exercise shared ceilings
    if draw(st.booleans()):
        shared = draw(st.builds(format_centimes, money))
        for row in plan:
            if row["category"] in ("optics", "lab"):
                row.update(ceiling_key="shared", ceiling=shared)
    data = {
        "key_letters": [
            {"letter": "C", "value": m(), "category": "consultation"},
            {"letter": "K", "value": m(), "category": "surgery"},
        ],
        "acts": [
            {"code": "VERRES", "category": "optics", "tariff": m()},
            {
                "code": "NFS",
                "category": "lab",
                "tariff": m(),
                "frequency_max": draw(st.integers(1, 3)),
                "frequency_days": draw(st.integers(1, 60)),
            },
            {
                "code": "IRM",
                "category": "surgery",
                "key_letter": "K",
                "coefficient": "1.5",
                "needs_prior_approval": True,
            },
            {"code": "JOUR", "category": "stay", "tariff": m()},
        ],
        "medicines": [
            {"code": "M1", "public_price": m(), "reference_price": draw(st.none() | st.builds(format_centimes, money))},
            {"code": "M2", "public_price": m(), "reimbursable": draw(st.booleans())},
        ],
        "ald": ["A1"],
        "amo_rates": [
            {"category": "*", "setting": s, "rate_bp": draw(bp)}
            for s in ("ambulatory", "hospital_private", "hospital_public")
        ]
        + [
            {"category": "medicine", "setting": "*", "rate_bp": draw(bp)},
            {"category": "ald", "setting": "*", "rate_bp": 10000},
        ],
        "complementary": plan,
    }
    return snapshot_build(data)


START = date(2025, 12, 1)
day = st.integers(min_value=0, max_value=120).map(lambda n: START + timedelta(days=n))


@st.composite
def lines(draw, i):
    kind = draw(st.sampled_from(["act", "medicine", "stay"]))
    code = draw(
        st.sampled_from(
            {
                "act": ["C", "K", "VERRES", "NFS", "IRM", "ZZ"],
                "medicine": ["M1", "M2", "", "NOPE"],
                "stay": ["", "JOUR"],
            }[kind]
        )
    )
    return ClaimLine(
        ref=f"L{i}",
        kind=kind,
        code=code,
        date=draw(day),
        paid=draw(st.integers(min_value=-1000, max_value=300_000)),
        quantity=draw(st.integers(min_value=0, max_value=4)),
        coefficient_x100=draw(st.sampled_from([0, 50, 100, 150, 275])),
        unit_price=draw(st.none() | money),
        reference_unit_price=draw(st.none() | money),
        ald=draw(st.sampled_from([None, "A1", "A2"])),
        prior_approval=draw(st.sampled_from([None, "AP"])),
        inpatient=draw(st.booleans()),
    )


@st.composite
def files(draw, n):
    bid = draw(st.sampled_from(["B1", "B2", "B3"]))
    facts = BeneficiaryFacts(
        beneficiary_id=bid,
        relation=draw(st.sampled_from(["self", "spouse", "child"])),
        birth_date=draw(st.dates(date(1950, 1, 1), date(2026, 1, 1))),
        member_joined=draw(st.dates(date(2010, 1, 1), date(2026, 1, 1))),
        member_status=draw(st.sampled_from(["active", "retired", "deceased", "suspended", "resigned"])),
        from_other_amo=draw(st.booleans()),
        disabled=draw(st.booleans()),
        ald=draw(st.sampled_from([(), ("A1",), ("A2",)])),
    )
    provider = Provider(
        sector=draw(st.sampled_from(["public", "private"])),
        kind=draw(st.sampled_from(["doctor", "pharmacy", "clinic"])),
        inpe=draw(st.sampled_from([None, "P1", "P2"])),
    )
    ls = tuple(draw(lines(i)) for i in range(draw(st.integers(1, 6))))
    return ClaimFile(
        ref=f"F{n}",
        beneficiary=facts,
        filed_on=draw(day) + timedelta(days=30),
        filed_by=draw(st.sampled_from(["member", "provider"])),
        provider=provider,
        lines=ls,
    )


batches = st.integers(1, 8).flatmap(lambda k: st.tuples(*[files(n) for n in range(k)]))
SETTINGS = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(snapshots(), batches)
def test_it_keeps_every_amount_consistent(snap, fs):
    for fd in adjudicate_batch(fs, snap, History()):
        for d in fd.lines:
            assert min(d.paid, d.basis, d.amo, d.complementary, d.remainder) >= 0
            assert d.amo + d.complementary <= d.paid
            assert d.remainder == d.paid - d.amo - d.complementary
            assert d.basis <= d.paid
            if d.status == "rejected":
                assert (d.amo, d.complementary, d.remainder) == (0, 0, d.paid)
                assert d.reasons
            elif d.status == "reduced":
                assert "CEILING_REACHED" in d.reasons
            else:
                assert d.reasons == ()
        assert fd.remainder == sum(d.remainder for d in fd.lines)
        assert fd.amo == sum(d.amo for d in fd.lines)


@SETTINGS
@given(snapshots(), batches)
def test_it_is_deterministic(snap, fs):
    assert adjudicate_batch(fs, snap, History()) == adjudicate_batch(fs, snap, History())


@SETTINGS
@given(snapshots(), batches)
def test_it_gives_the_same_in_batch_as_one_by_one(snap, fs):
    h1, h2 = History(), History()
    assert adjudicate_batch(fs, snap, h1) == [adjudicate_file(f, snap, h2) for f in fs]
    assert (h1.consumed, h1.seen, h1.acts) == (h2.consumed, h2.seen, h2.acts)


@SETTINGS
@given(snapshots(), batches)
def test_it_never_exceeds_a_ceiling_across_a_batch(snap, fs):
    paid: dict[tuple[str, int, str], int] = {}
    ceilings: dict[str, int] = {}
    for f, fd in zip(fs, adjudicate_batch(fs, snap, History()), strict=True):
        for line, d in zip(f.lines, fd.lines, strict=True):
            cat = line_category(line, f.provider, snap)
            plan = snap.plan_for(cat, line.date) if cat else None
            if plan is None or plan.ceiling is None or not d.complementary:
                continue
            key = (f.beneficiary.beneficiary_id, line.date.year, plan.ceiling_key)
            paid[key] = paid.get(key, 0) + d.complementary
            ceilings[plan.ceiling_key] = plan.ceiling
    for (_, _, ck), total in paid.items():
        assert total <= ceilings[ck]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(snapshots(), batches)
def test_it_gives_the_same_with_the_garbage_collector_paused_and_restores_it(snap, fs):
    import gc

    assert adjudicate_batch(fs, snap, History(), pause_gc=True) == adjudicate_batch(fs, snap, History())
    assert gc.isenabled()
