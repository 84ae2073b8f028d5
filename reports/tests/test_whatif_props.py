"""Invariants of the what-if's pure parts (hypothesis): the overlay and the accumulator."""

from __future__ import annotations

import json
from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

import engine as e
from claims.tests.factories import SNAPSHOT_DATA
from reports.whatif_proposal import known_codes, proposal_overlay, proposal_parse
from reports.whatif_result import Accumulator, bucket_of

START = date(2025, 1, 1)
FACTS = e.BeneficiaryFacts(
    beneficiary_id="1", relation="self", birth_date=date(1980, 1, 1), member_joined=date(2010, 1, 1)
)
PROVIDER = e.Provider(sector="private", kind="doctor", inpe="123456789")
cents = st.integers(min_value=0, max_value=100_000)


def _files(days: list[int]) -> list[e.ClaimFile]:
    out = []
    for i, d in enumerate(days):
        on = START + timedelta(days=d)
        lines = (
            e.ClaimLine(f"{i}a", "act", on, 10_000, "C"),
            e.ClaimLine(f"{i}b", "medicine", on, 20_000, "MED1", quantity=2),
        )
        out.append(e.ClaimFile(str(i), FACTS, on + timedelta(days=5), "member", PROVIDER, lines))
    return out


def _decide(data: dict[str, object], files: list[e.ClaimFile]) -> list[tuple[int, int, int]]:
    snap = e.snapshot_build(data)
    return [
        (d.amo, d.complementary, d.remainder) for fd in e.adjudicate_batch(files, snap, e.History()) for d in fd.lines
    ]


@settings(max_examples=40, deadline=None)
@given(days=st.lists(st.integers(min_value=0, max_value=300), min_size=1, max_size=6, unique=True))
def test_it_changes_nothing_when_the_proposal_restates_the_rules(days: list[int]) -> None:
    raw = {"changes": [{"type": "complementary", "category": "consultation", "flat": "10.00"},
                       {"type": "complementary", "category": "medicine", "rate_percent": "20"},
                       {"type": "key_letter", "letter": "C", "value": "80.00"}]}  # fmt: skip
    proposal = proposal_parse(raw, known=known_codes(SNAPSHOT_DATA))
    files = _files(days)
    assert _decide(proposal_overlay(SNAPSHOT_DATA, proposal, start=START), files) == _decide(SNAPSHOT_DATA, files)


@settings(max_examples=40, deadline=None)
@given(flat=cents, days=st.lists(st.integers(min_value=0, max_value=300), min_size=1, max_size=6, unique=True))
def test_a_higher_flat_sum_never_makes_members_pay_more(flat: int, days: list[int]) -> None:
    text = str(Decimal(flat).scaleb(-2).quantize(Decimal("0.01")))
    proposal = proposal_parse({"changes": [{"type": "complementary", "category": "consultation", "flat": text}]},
                              known=known_codes(SNAPSHOT_DATA))  # fmt: skip
    files = _files(days)
    now, then = _decide(SNAPSHOT_DATA, files), _decide(proposal_overlay(SNAPSHOT_DATA, proposal, start=START), files)
    for (_, c0, r0), (_, c1, r1) in zip(now, then, strict=True):
        assert r1 >= 0 and (r1 <= r0) == (c1 >= c0)  # what the mutual adds, the member does not pay
        assert (c1 - c0) == (r0 - r1)


@given(
    st.lists(st.tuples(cents, cents, st.booleans()), max_size=30),
    st.lists(st.tuples(cents, st.integers(1, 10**6)), max_size=30),
)
def test_the_accumulator_survives_its_json(members: list[tuple[int, int, bool]], tops: list[tuple[int, int]]) -> None:
    acc = Accumulator()
    for now, then, changed in members:
        acc.member_end(remainder_now=now, remainder_proposed=then, changed=changed)
    for change, line in tops:
        if acc.top_would_take(change, line):
            acc.top_offer(change, line, [1, "c", "C", "2025-01-01", 0, change, 0, 0])
    again = Accumulator.from_json(json.loads(json.dumps(acc.to_json())))
    assert again.to_json() == json.loads(json.dumps(acc.to_json()))
    assert sum(acc.buckets_current) == sum(acc.buckets_proposed) == len(members) == acc.members
    best = sorted(tops, key=lambda t: (-t[0], t[1]))
    kept = sorted(acc.top, key=lambda t: (-t[0], t[1]))
    assert [t[0] for t in kept] == [t[0] for t in best[: len(kept)]] and len(kept) == min(10, len(tops))
    assert all(bucket_of(c) >= 0 for c, _, _ in members)
