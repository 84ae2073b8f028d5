"""The DB -> engine snapshot: hand-worked figures through the seeded referentials."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from accounts.roles import Role
from claims.simulator.services import simulation_run
from referentials.engine_data import engine_data
from referentials.models import ComplementaryRule, Medicine, Parameter
from referentials.selectors import referential_snapshot
from referentials.services import referential_row_replace
from referentials.tests.scenario import one_line

pytestmark = pytest.mark.django_db

CONSULTATION = {"kind": "act", "code": "C", "quantity": 1, "date": "2026-03-01", "paid": "200.00"}


def _amounts(line: dict[str, object]) -> tuple[object, ...]:
    return tuple(line[k] for k in ("basis", "amo", "complementary", "remainder"))


def test_it_caps_the_consultation_basis_by_the_amount_paid() -> None:
    # TNR C = 80.00 but 60.00 paid: basis 60.00; AMO 80 % = 48.00; flat 10.00 fits in 12.00 still owed.
    out = simulation_run(data=one_line({**CONSULTATION, "paid": "60.00"}), lang="en")
    assert _amounts(out["lines"][0]) == ("60.00", "48.00", "10.00", "2.00")


def test_it_bases_a_branded_medicine_on_its_cheaper_generic() -> None:
    augmentin = Medicine.objects.get(name="Augmentin 1 g")
    line = {"kind": "medicine", "code": augmentin.code, "quantity": 2, "date": "2026-03-01", "paid": "256.00"}
    # Basis = generic 82.50 × 2 = 165.00; AMO 70 % = 115.50; complementary 20 % = 33.00;
    # remainder 256.00 - 115.50 - 33.00 = 107.50.
    out = simulation_run(data=one_line(line), lang="en")
    assert _amounts(out["lines"][0]) == ("165.00", "115.50", "33.00", "107.50")
    assert out["lines"][0]["status"] == "accepted"


def test_it_rejects_a_non_reimbursable_and_asks_approval_for_a_costly_medicine() -> None:
    biafine = Medicine.objects.get(name="Biafine")
    glivec = Medicine.objects.get(name="Glivec 400")
    data = one_line({"kind": "medicine", "code": biafine.code, "date": "2026-03-01", "paid": "42.00"})
    data["lines"].append({"kind": "medicine", "code": glivec.code, "date": "2026-03-01", "paid": "14500.00"})
    out = simulation_run(data=data, lang="fr")
    assert [r["code"] for r in out["lines"][0]["reasons"]] == ["NOT_REIMBURSABLE"]
    assert out["lines"][0]["reasons"][0]["label"] == "Médicament non remboursable"
    assert [r["code"] for r in out["lines"][1]["reasons"]] == ["PRIOR_APPROVAL_REQUIRED"]
    assert _amounts(out["lines"][1]) == ("14500.00", "0.00", "0.00", "14500.00")


def test_it_judges_by_the_rule_in_force_on_the_date_of_care(make_user) -> None:  # type: ignore[no-untyped-def]
    before = referential_snapshot()
    flat = ComplementaryRule.objects.get(category="consultation")
    referential_row_replace(
        actor=make_user(Role.ADMINISTRATOR), row=flat, valid_from=date(2026, 7, 1), changes={"flat_amount": Decimal(15)}
    )
    assert referential_snapshot() is not before  # the cache follows the change
    data = one_line({**CONSULTATION, "date": "2026-06-30"}, filed_on="2026-07-10")
    data["lines"].append({**CONSULTATION, "date": "2026-07-01", "paid": "200.00"})
    out = simulation_run(data=data, lang="en")
    # 30 June: flat 10.00 -> 200 - 64 - 10 = 126.00; 1 July: flat 15.00 -> 200 - 64 - 15 = 121.00.
    assert _amounts(out["lines"][0]) == ("80.00", "64.00", "10.00", "126.00")
    assert _amounts(out["lines"][1]) == ("80.00", "64.00", "15.00", "121.00")


def test_it_reuses_the_cached_snapshot_while_nothing_changes() -> None:
    assert referential_snapshot() is referential_snapshot()


def test_it_merges_dated_parameters_into_whole_engine_rows(make_user) -> None:  # type: ignore[no-untyped-def]
    row = Parameter.objects.get(name="member_filing_days")
    admin = make_user(Role.ADMINISTRATOR)
    referential_row_replace(actor=admin, row=row, valid_from=date(2026, 1, 1), changes={"value": 30})
    params = engine_data()["parameters"]
    assert [(p["valid_from"], p["valid_to"], p["member_filing_days"], p["waiting_months"]) for p in params] == [
        (date(2006, 1, 1), date(2025, 12, 31), 60, 3),
        (date(2026, 1, 1), None, 30, 3),
    ]
    # Care on 2025-12-01 filed 45 days later: 60-day rule of that date, in time.
    late_rule_before = one_line({**CONSULTATION, "date": "2025-12-01"}, filed_on="2026-01-15")
    assert simulation_run(data=late_rule_before, lang="en")["lines"][0]["reasons"] == []
    # Care on 2026-02-01 filed 45 days later: the 30-day rule applies.
    after = one_line({**CONSULTATION, "date": "2026-02-01"}, filed_on="2026-03-18")
    assert [r["code"] for r in simulation_run(data=after, lang="en")["lines"][0]["reasons"]] == ["LATE_FILING"]


def test_it_restricts_a_snapshot_to_the_rows_in_force_on_a_day(make_user) -> None:  # type: ignore[no-untyped-def]
    flat = ComplementaryRule.objects.get(category="consultation")
    referential_row_replace(
        actor=make_user(Role.ADMINISTRATOR), row=flat, valid_from=date(2026, 7, 1), changes={"flat_amount": Decimal(15)}
    )
    rows = engine_data(on=date(2026, 6, 30))["complementary"]
    assert [r.get("flat") for r in rows if r["category"] == "consultation"] == [Decimal("10.00")]
    snap = referential_snapshot(on=date(2026, 7, 1))
    plan = snap.plan_for("consultation", date(2026, 7, 1))
    assert plan is not None and plan.flat == 1500
