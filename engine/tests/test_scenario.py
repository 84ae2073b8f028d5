from __future__ import annotations

import copy

import pytest

from engine import History, ScenarioError, adjudicate_file, decision_to_json, scenario_parse

from .factories import SNAPSHOT

EXAMPLE = {
    "filed_on": "2026-03-10",
    "filed_by": "member",
    "provider": {"sector": "private", "kind": "doctor"},
    "beneficiary": {
        "relation": "self",
        "birth_date": "1980-05-01",
        "member_joined": "2015-01-01",
        "member_status": "active",
        "from_other_amo": False,
        "student_until": None,
        "disabled": False,
        "ald": [],
    },
    "lines": [
        {"kind": "act", "code": "C", "coefficient": 1, "quantity": 1, "date": "2026-03-01", "paid": "200.00"},
        {
            "kind": "medicine",
            "unit_price": "50.00",
            "reference_unit_price": "50.00",
            "quantity": 2,
            "date": "2026-03-01",
            "paid": "100.00",
            "ald": None,
        },
    ],
}


def run(data, lang="fr"):
    return decision_to_json(adjudicate_file(scenario_parse(data, SNAPSHOT), SNAPSHOT, History()), lang)


def test_it_decides_the_simulator_example():
    out = run(EXAMPLE)
    l1, l2 = out["lines"]
    assert (l1["basis"], l1["amo"], l1["complementary"], l1["remainder"]) == ("80.00", "64.00", "10.00", "126.00")
    assert (l2["basis"], l2["amo"], l2["complementary"], l2["remainder"]) == ("100.00", "70.00", "20.00", "10.00")
    assert out["totals"] == {
        "paid": "300.00",
        "basis": "180.00",
        "amo": "134.00",
        "complementary": "30.00",
        "remainder": "136.00",
    }
    assert out["status"] == "accepted"
    assert l1["trace"]


def test_it_labels_reasons_in_the_requested_language():
    data = copy.deepcopy(EXAMPLE)
    data["filed_on"] = "2026-05-01"
    out = run(data, "ar")
    assert out["lines"][0]["reasons"] == [{"code": "LATE_FILING", "label": "تم إيداع الملف خارج الأجل"}]
    assert run(data, "en")["lines"][0]["reasons"][0]["label"] == "Claim filed after the deadline"


def test_it_reads_a_fractional_coefficient():
    data = copy.deepcopy(EXAMPLE)
    data["lines"] = [{"kind": "act", "code": "K", "coefficient": "1.5", "date": "2026-03-01", "paid": "100.00"}]
    assert run(data)["lines"][0]["basis"] == "33.75"
    data["lines"][0]["coefficient"] = 1.5
    assert run(data)["lines"][0]["basis"] == "33.75"


@pytest.mark.parametrize(
    ("path", "value", "code"),
    [
        ("filed_on", "2026-02-30", "invalid_date"),
        ("filed_on", "10/03/2026", "invalid_date"),
        ("filed_by", "robot", "invalid_choice"),
        ("provider.sector", "mixed", "invalid_choice"),
        ("beneficiary.relation", "cousin", "invalid_choice"),
        ("beneficiary.birth_date", None, "required"),
        ("lines[0].paid", "12.345", "too_many_decimals"),
        ("lines[0].paid", "abc", "not_a_number"),
        ("lines[0].paid", "-5.00", "negative"),
        ("lines[0].paid", "NaN", "not_a_number"),
        ("lines[0].quantity", 0, "must_be_positive"),
        ("lines[0].quantity", "2", "invalid_integer"),
        ("lines[0].kind", "massage", "invalid_choice"),
        ("lines[0].date", 20260301, "invalid_date"),
        ("lines[1].unit_price", "1e400", "too_large"),
        ("lines[0].coefficient", "0.001", "too_many_decimals"),
    ],
)
def test_it_reports_a_bad_field(path, value, code):
    data = copy.deepcopy(EXAMPLE)
    target = data
    *parents, leaf = path.replace("[", ".").replace("]", "").split(".")
    for p in parents:
        target = target[int(p)] if p.isdigit() else target[p]
    target[leaf] = value
    with pytest.raises(ScenarioError) as e:
        scenario_parse(data, SNAPSHOT)
    assert (path, code) in e.value.errors


def test_it_reports_every_bad_field_at_once():
    data = copy.deepcopy(EXAMPLE)
    data["filed_on"] = "yesterday"
    data["lines"][0]["paid"] = "1.001"
    data["lines"][1]["paid"] = "-1"
    with pytest.raises(ScenarioError) as e:
        scenario_parse(data, SNAPSHOT)
    assert e.value.errors == [
        ("lines[0].paid", "too_many_decimals"),
        ("lines[1].paid", "negative"),
        ("filed_on", "invalid_date"),
    ]


def test_it_requires_lines_provider_and_beneficiary():
    with pytest.raises(ScenarioError) as e:
        scenario_parse({"filed_on": "2026-03-10", "filed_by": "member"}, SNAPSHOT)
    paths = {p for p, _ in e.value.errors}
    assert {"lines", "provider", "beneficiary"} <= paths
