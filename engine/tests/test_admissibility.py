from __future__ import annotations

from datetime import date, timedelta

import pytest

from engine import History, Provider, Trace, adjudicate_file

from .factories import CARE, SNAPSHOT, claim, facts, line

DOCTOR = Provider(sector="private", kind="doctor", inpe="123456789")


def decide(*lines, history=None, **kw):
    return adjudicate_file(claim(*lines, **kw), SNAPSHOT, history if history is not None else History())


@pytest.mark.parametrize(
    ("filed_by", "days", "late"),
    [("member", 60, False), ("member", 61, True), ("provider", 90, False), ("provider", 91, True)],
)
def test_it_applies_the_filing_deadline(filed_by, days, late):
    d = decide(line(), filed_by=filed_by, filed_on=CARE + timedelta(days=days)).lines[0]
    assert (d.status, d.reasons) == (("rejected", ("LATE_FILING",)) if late else ("accepted", ()))


def test_it_counts_the_deadline_from_the_end_of_a_continuous_treatment():
    end = CARE + timedelta(days=30)
    d = decide(line(code="KINE", paid=5000, treatment_end=end), filed_on=end + timedelta(days=60)).lines[0]
    assert d.status == "accepted"


def test_it_rejects_a_late_line_and_pays_nothing():
    d = decide(line(paid=20000), filed_on=CARE + timedelta(days=61)).lines[0]
    assert (d.amo, d.complementary, d.remainder, d.basis) == (0, 0, 20000, 8000)


def test_it_rejects_care_after_the_filing_date():
    assert decide(line(), filed_on=CARE - timedelta(days=1)).lines[0].reasons == ("INVALID_DATE",)


def test_it_rejects_the_same_consultation_twice_in_one_file():
    fd = decide(line(ref="L1"), line(ref="L2"))
    assert [d.status for d in fd.lines] == ["accepted", "rejected"]
    assert fd.lines[1].reasons == ("DUPLICATE",)


def test_it_rejects_the_same_consultation_filed_again_later():
    h = History()
    first = decide(line(), history=h)
    again = decide(line(paid=25000), history=h, ref="F2")
    assert first.lines[0].status == "accepted"
    assert again.lines[0].reasons == ("DUPLICATE",)


def test_it_accepts_the_same_act_on_another_day_or_by_another_provider():
    h = History()
    decide(line(), history=h)
    assert decide(line(date=CARE + timedelta(days=1)), history=h).lines[0].status == "accepted"
    other = Provider(sector="private", kind="doctor", inpe="987654321")
    assert decide(line(), history=h, provider=other).lines[0].status == "accepted"


def test_it_does_not_record_a_rejected_line_as_a_duplicate_source():
    h = History()
    decide(line(), history=h, filed_on=CARE + timedelta(days=61))
    assert decide(line(), history=h).lines[0].status == "accepted"


def test_it_requires_prior_approval_where_the_act_needs_it():
    d = decide(line(code="IRM", paid=300000)).lines[0]
    assert (d.status, d.reasons) == ("rejected", ("PRIOR_APPROVAL_REQUIRED",))
    ok = decide(line(code="IRM", paid=300000, prior_approval="AP-2026-001")).lines[0]
    assert ok.status == "accepted"
    assert (ok.basis, ok.amo) == (250000, 200000)


def test_it_requires_prior_approval_where_the_medicine_needs_it():
    d = decide(line(kind="medicine", code="BIOTHERAPIE", paid=300000)).lines[0]
    assert d.reasons == ("PRIOR_APPROVAL_REQUIRED",)


@pytest.mark.parametrize(
    "bad",
    [
        line(code="XYZ"),
        line(kind="medicine", code="NOPE"),
        line(kind="stay", code="NOPE"),
        line(kind="medicine", code="", unit_price=None),
    ],
)
def test_it_rejects_unknown_codes(bad):
    assert decide(bad).lines[0].reasons == ("UNKNOWN_CODE",)


def test_it_rejects_a_non_reimbursable_medicine():
    assert decide(line(kind="medicine", code="COSMETIQUE", paid=9000)).lines[0].reasons == ("NOT_REIMBURSABLE",)


@pytest.mark.parametrize("bad", [line(paid=0), line(paid=-100), line(quantity=0), line(coefficient_x100=0)])
def test_it_rejects_invalid_amounts(bad):
    d = decide(bad).lines[0]
    assert d.status == "rejected"
    assert d.reasons[0] == "INVALID_AMOUNT"
    assert min(d.paid, d.basis, d.amo, d.complementary, d.remainder) >= 0


def test_it_rejects_a_provider_filed_file_without_inpe():
    d = decide(line(), filed_by="provider", provider=Provider(sector="private", kind="doctor")).lines[0]
    assert d.reasons == ("PROVIDER_UNKNOWN",)


def test_it_accepts_a_member_filed_file_without_inpe():
    d = decide(line(), provider=Provider(sector="private", kind="doctor")).lines[0]
    assert d.status == "accepted"


def test_it_rejects_lines_of_a_beneficiary_not_covered():
    d = decide(line(), beneficiary=facts(member_status="resigned")).lines[0]
    assert (d.status, d.reasons, d.amo, d.remainder) == ("rejected", ("NOT_COVERED",), 0, 20000)
    assert Trace("cover.resigned") in d.trace


def test_it_gives_every_reason_found():
    d = decide(
        line(code="IRM", paid=300000), beneficiary=facts(member_status="suspended"), filed_on=CARE + timedelta(days=61)
    ).lines[0]
    assert set(d.reasons) == {"RIGHTS_SUSPENDED", "LATE_FILING", "PRIOR_APPROVAL_REQUIRED"}


def test_it_limits_the_frequency_of_an_act():
    h = History()
    first = decide(line(code="DETARTRAGE", paid=10000), history=h).lines[0]
    soon = decide(
        line(code="DETARTRAGE", paid=10000, date=date(2026, 5, 1)), history=h, filed_on=date(2026, 5, 2)
    ).lines[0]
    later = decide(
        line(code="DETARTRAGE", paid=10000, date=date(2026, 9, 1)), history=h, filed_on=date(2026, 9, 2)
    ).lines[0]
    assert first.status == "accepted"
    assert soon.reasons == ("FREQUENCY_LIMIT",)
    assert later.status == "accepted"
