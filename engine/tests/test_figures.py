"""The hand-worked figures of the design, one test each (amounts in centimes)."""

from __future__ import annotations

from engine import History, Provider, Trace, adjudicate_file

from .factories import SNAPSHOT, amounts, claim, facts, line


def decide(*lines, **kw):
    return adjudicate_file(claim(*lines, **kw), SNAPSHOT, kw.pop("history", None) or History())


def test_it_pays_a_gp_consultation_paid_200_by_a_member():
    d = decide(line(code="C", paid=20000)).lines[0]
    assert d.status == "accepted"
    assert amounts(d) == (8000, 6400, 1000, 12600)
    assert d.reasons == ()
    assert Trace("tariff.letter", letter="C", sector="private", value=8000, coef=100, qty=1) in d.trace
    assert Trace("amo.rate", rate=8000, basis="ambulatory") in d.trace
    assert Trace("complementary.flat", amount=1000, category="consultation") in d.trace


def test_it_caps_the_basis_by_the_amount_paid():
    d = decide(line(code="C", paid=6000)).lines[0]
    assert amounts(d) == (6000, 4800, 1000, 200)


def test_it_never_pays_a_complementary_above_what_the_member_still_owes():
    d = decide(line(code="C", paid=8500)).lines[0]
    assert amounts(d) == (8000, 6400, 1000, 1100)
    d = decide(line(code="C", paid=7000)).lines[0]  # basis 70, AMO 56, room 14
    assert amounts(d) == (7000, 5600, 1000, 400)
    d = decide(line(code="C", paid=4000)).lines[0]  # AMO 32, room 8 < flat 10
    assert amounts(d) == (4000, 3200, 800, 0)


def test_it_pays_a_generic_medicine_at_70_and_20_percent():
    d = decide(line(kind="medicine", code="GENERIQUE", quantity=2, paid=10000)).lines[0]
    assert amounts(d) == (10000, 7000, 2000, 1000)
    assert Trace("amo.rate", rate=7000, basis="medicine") in d.trace


def test_it_bases_a_branded_medicine_on_its_cheaper_generic():
    d = decide(line(kind="medicine", code="MARQUE", quantity=1, paid=2000)).lines[0]
    assert d.basis == 1200
    assert amounts(d) == (1200, 840, 240, 920)
    assert Trace("medicine.generic", code="MARQUE", unit=1200, qty=1) in d.trace


def test_it_bases_an_uncoded_medicine_on_the_given_reference_price():
    d = decide(line(kind="medicine", code="", unit_price=3000, reference_unit_price=2000, quantity=2, paid=6000)).lines[
        0
    ]
    assert amounts(d) == (4000, 2800, 800, 2400)


def test_it_pays_a_line_of_a_recognised_ald_at_100_percent():
    ald = facts(ald=("ALD12",))
    d = decide(line(kind="medicine", code="GENERIQUE", quantity=2, paid=10000, ald="ALD12"), beneficiary=ald).lines[0]
    assert amounts(d) == (10000, 10000, 0, 0)
    assert Trace("amo.ald", rate=10000, ald="ALD12") in d.trace
    consult = decide(line(code="C", paid=20000, ald="ALD12"), beneficiary=ald).lines[0]
    assert amounts(consult) == (8000, 8000, 1000, 11000)


def test_it_pays_an_ald_line_at_the_normal_rate_when_the_condition_is_not_recognised():
    not_his = decide(
        line(kind="medicine", code="GENERIQUE", quantity=2, paid=10000, ald="ALD07"), beneficiary=facts(ald=("ALD12",))
    ).lines[0]
    assert not_his.amo == 7000 and Trace("ald.not_recognised", ald="ALD07") in not_his.trace
    unlisted = decide(
        line(kind="medicine", code="GENERIQUE", quantity=2, paid=10000, ald="ALD99"), beneficiary=facts(ald=("ALD99",))
    ).lines[0]
    assert unlisted.amo == 7000 and Trace("ald.not_listed", ald="ALD99") in unlisted.trace


def test_it_pays_a_stay_in_a_public_hospital_at_100_percent():
    d = decide(
        line(kind="stay", code="", paid=300000), provider=Provider(sector="public", kind="hospital", inpe="1")
    ).lines[0]
    assert amounts(d) == (300000, 300000, 0, 0)
    assert Trace("amo.rate", rate=10000, basis="hospital_public") in d.trace


def test_it_pays_a_stay_in_a_private_clinic_at_90_percent():
    d = decide(
        line(kind="stay", code="JOUR-CLINIQUE", quantity=3, paid=200000),
        provider=Provider(sector="private", kind="clinic", inpe="1"),
    ).lines[0]
    assert amounts(d) == (150000, 135000, 0, 65000)
    assert Trace("amo.rate", rate=9000, basis="hospital_private") in d.trace


def test_it_pays_surgery_during_a_stay_at_the_hospital_rate():
    d = decide(
        line(code="APPENDICECTOMIE", paid=150000, inpatient=True),
        provider=Provider(sector="private", kind="clinic", inpe="1"),
    ).lines[0]
    # K50 = 50 × 22.50 = 1125.00; 90 % = 1012.50; 20 % = 225.00
    assert amounts(d) == (112500, 101250, 22500, 26250)


def test_it_multiplies_fractional_coefficients_exactly():
    d = decide(line(code="K", coefficient_x100=150, paid=10000)).lines[0]
    assert d.basis == 3375  # 1.5 × 22.50
    assert d.amo == 2700


def test_it_rounds_half_up_once_where_an_amount_is_computed():
    # 12.35 × 70 % = 8.645 -> 8.65 ; 12.35 × 20 % = 2.47
    d = decide(line(kind="medicine", code="", unit_price=1235, paid=1235)).lines[0]
    assert amounts(d) == (1235, 865, 247, 123)


def test_it_pays_physiotherapy_sessions_at_the_session_tariff():
    d = decide(line(code="KINE", quantity=10, paid=60000)).lines[0]
    assert amounts(d) == (50000, 40000, 0, 20000)


def test_it_pays_20_percent_of_the_tariff_on_lab_and_prostheses():
    lab = decide(line(code="NFS", paid=6000)).lines[0]
    assert amounts(lab) == (6000, 4800, 1200, 0)
    crown = decide(line(code="COURONNE", paid=150000)).lines[0]
    assert amounts(crown) == (100000, 80000, 20000, 50000)


def test_it_totals_the_file():
    fd = decide(
        line(ref="L1", code="C", paid=20000), line(ref="L2", kind="medicine", code="GENERIQUE", quantity=2, paid=10000)
    )
    assert (fd.paid, fd.basis, fd.amo, fd.complementary, fd.remainder) == (30000, 18000, 13400, 3000, 13600)
    assert fd.status == "accepted"


def test_it_builds_decisions_equal_to_their_dataclass_constructor():
    from engine.adjudicate import _line_decision
    from engine.types import LineDecision

    values = ("L1", "accepted", 1, 2, 3, 4, 5, ("R",), ("t",))
    assert _line_decision(*values) == LineDecision(*values)
    assert repr(_line_decision(*values)) == repr(LineDecision(*values))
    from engine.adjudicate import _file_decision
    from engine.types import FileDecision

    file_values = ("F1", (LineDecision(*values),), 1, 2, 3, 4, 5)
    assert _file_decision(*file_values) == FileDecision(*file_values)
