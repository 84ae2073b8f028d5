from __future__ import annotations

from datetime import date

from engine import History, Trace, adjudicate_file

from .factories import SNAPSHOT, amounts, claim, facts, line

GLASSES = dict(code="VERRES", quantity=10, paid=400000)  # basis 4000, AMO 3200, 20 % = 800


def test_it_pays_the_complementary_within_an_untouched_ceiling():
    d = adjudicate_file(claim(line(**GLASSES)), SNAPSHOT, History()).lines[0]
    assert (d.status, amounts(d)) == ("accepted", (400000, 320000, 80000, 0))
    assert Trace("ceiling", key="optics", year=2026, ceiling=150000, used=0) in d.trace


def test_it_reduces_the_complementary_to_what_is_left_of_the_ceiling():
    h = History()
    h.consume("B1", 2026, "optics", 140000)
    d = adjudicate_file(claim(line(**GLASSES)), SNAPSHOT, h).lines[0]
    assert d.status == "reduced"
    assert d.reasons == ("CEILING_REACHED",)
    assert amounts(d) == (400000, 320000, 10000, 70000)
    assert Trace("ceiling", key="optics", year=2026, ceiling=150000, used=140000) in d.trace
    assert h.used("B1", 2026, "optics") == 150000


def test_it_still_pays_the_amo_when_the_ceiling_is_fully_consumed():
    h = History()
    h.consume("B1", 2026, "optics", 150000)
    d = adjudicate_file(claim(line(**GLASSES)), SNAPSHOT, h).lines[0]
    assert (d.status, d.reasons) == ("reduced", ("CEILING_REACHED",))
    assert amounts(d) == (400000, 320000, 0, 80000)


def test_it_consumes_the_ceiling_line_after_line_and_resets_it_each_year():
    h = History()
    big = dict(code="VERRES", quantity=20, paid=800000)  # 20 % of 8000 = 1600 > 1500
    d = adjudicate_file(claim(line(**big)), SNAPSHOT, h).lines[0]
    assert (d.status, d.complementary) == ("reduced", 150000)
    nxt = adjudicate_file(claim(line(date=date(2027, 1, 5), **GLASSES), filed_on=date(2027, 1, 6)), SNAPSHOT, h).lines[
        0
    ]
    assert (nxt.status, nxt.complementary) == ("accepted", 80000)


def test_it_keeps_ceilings_per_beneficiary():
    h = History()
    h.consume("B1", 2026, "optics", 150000)
    d = adjudicate_file(claim(line(**GLASSES), beneficiary=facts(beneficiary_id="B2")), SNAPSHOT, h).lines[0]
    assert d.complementary == 80000
