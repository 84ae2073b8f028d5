from __future__ import annotations

from datetime import date

import pytest

from engine import History, Params, SnapshotError, adjudicate_file, history_from_accepted, snapshot_build

from .factories import SNAPSHOT, claim, line, reference_data


def test_it_looks_referentials_up_by_the_date_of_care():
    data = reference_data()
    data["key_letters"] = [
        {
            "letter": "C",
            "value": "60.00",
            "category": "consultation",
            "valid_from": "2020-01-01",
            "valid_to": "2025-12-31",
        },
        {"letter": "C", "value": "80.00", "category": "consultation", "valid_from": "2026-01-01"},
    ]
    snap = snapshot_build(data)
    assert snap.key_letter("C", "private", date(2025, 12, 31)).value == 6000
    assert snap.key_letter("C", "public", date(2026, 1, 1)).value == 8000
    assert snap.key_letter("C", "private", date(2019, 12, 31)) is None
    old = adjudicate_file(claim(line(date=date(2025, 12, 31)), filed_on=date(2026, 1, 5)), snap, History())
    assert old.lines[0].basis == 6000


def test_it_refuses_overlapping_or_malformed_rows():
    data = reference_data()
    data["key_letters"].append({"letter": "C", "value": "90.00", "valid_from": "2025-01-01"})
    with pytest.raises(SnapshotError, match="overlapping"):
        snapshot_build(data)
    with pytest.raises(SnapshotError, match="bad amount"):
        snapshot_build({"key_letters": [{"letter": "C", "value": "80.005"}]})
    with pytest.raises(SnapshotError, match="basis points"):
        snapshot_build({"amo_rates": [{"category": "*", "setting": "ambulatory", "rate_bp": 12000}]})
    with pytest.raises(SnapshotError, match="exactly one"):
        snapshot_build({"acts": [{"code": "X", "category": "lab"}]})


def test_it_reads_parameters_and_rates():
    assert SNAPSHOT.params_on(date(2026, 1, 1)) == Params()
    assert SNAPSHOT.amo_rate("medicine", "ambulatory", date(2026, 1, 1)) == 7000
    assert SNAPSHOT.amo_rate("optics", "hospital_public", date(2026, 1, 1)) == 10000


def test_it_rebuilds_a_history_from_accepted_lines():
    glasses = line(code="VERRES", quantity=10, paid=400000)
    f = claim(glasses)
    fd = adjudicate_file(f, SNAPSHOT, History())
    h = history_from_accepted([(f, glasses, fd.lines[0])], SNAPSHOT)
    assert h.used("B1", 2026, "optics") == 80000
    again = adjudicate_file(claim(glasses), SNAPSHOT, h).lines[0]
    assert again.reasons == ("DUPLICATE",)


def test_it_finds_no_row_in_a_gap_between_validity_periods():
    snap = snapshot_build(
        {
            "key_letters": [
                {"letter": "Z", "value": "9.00", "valid_from": "2020-01-01", "valid_to": "2020-12-31"},
                {"letter": "Z", "value": "10.00", "valid_from": "2022-01-01", "valid_to": "2023-12-31"},
                {"letter": "Z", "value": "11.00", "valid_from": "2024-01-01"},
            ]
        }
    )
    values = {
        d: getattr(snap.key_letter("Z", "public", date.fromisoformat(d)), "value", None)
        for d in ("2019-12-31", "2020-06-01", "2021-06-01", "2023-12-31", "2024-01-01", "2030-01-01")
    }
    assert values == {
        "2019-12-31": None,
        "2020-06-01": 900,
        "2021-06-01": None,
        "2023-12-31": 1000,
        "2024-01-01": 1100,
        "2030-01-01": 1100,
    }
