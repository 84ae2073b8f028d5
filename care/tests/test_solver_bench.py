"""The timetable benchmark runs and reports its figures (a smoke test on a small centre; never timed here)."""

from __future__ import annotations

from bench.timetable import run_load


def test_it_reports_the_timetable_figures_and_the_greedy_floor():
    row = run_load(0.8, time_limit=20.0, children=20, therapists=4, rooms=3, workers=1, seed=1)
    assert row["scenario"] == "timetable"
    assert row["load"] == 0.8
    assert row["plans_met"] == row["plans"] > 0
    assert row["sessions"] == row["sessions_planned"]
    assert 0 <= row["greedy_sessions"] <= row["sessions"]
    assert row["greedy_plans_met"] <= row["plans_met"]
