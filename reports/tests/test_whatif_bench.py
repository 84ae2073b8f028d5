"""The what-if benchmark runs and reports its figures on a small load (PostgreSQL; never timed here)."""

from __future__ import annotations

import pytest
from django.db import connection

from bench import whatif as bench
from reports.whatif_replay import Period, replay_all, rules_build
from reports.whatif_services import proposal_validate


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("the what-if benchmark loads with COPY: PostgreSQL only")


@pytest.mark.django_db
def test_it_compares_the_replay_with_the_engine_alone_on_its_own_files():
    row = bench.run(lines=3_000)
    assert (row["scenario"], row["lines"], row["goal_ratio"]) == ("whatif", 3_000, 0.5)
    # One chunk at this size: the engine alone decided all of it again, both rule sets.
    assert row["engine_sample_lines"] == 3_000
    assert row["engine_single_pass_lines_per_s"] == pytest.approx(2 * row["engine_lines_per_s"], abs=1)
    assert row["ratio"] == pytest.approx(row["lines_per_s"] / row["engine_lines_per_s"], abs=0.002)
    assert row["met"] is (row["ratio"] >= 0.5)
    assert row["members_affected"] > 0


@pytest.mark.django_db
def test_it_keeps_every_kth_chunk_for_the_engine_alone():
    bench._load(3_000)
    period = Period(bench.YEAR, bench.YEAR.replace(month=12, day=31))
    rules = rules_build(proposal_validate(raw=bench.PROPOSAL), period=period)
    replayer = replay_all(period=period, rules=rules, size=500, keep_every=3)
    kept = sum(len(f.lines) for pieces in replayer.kept for f in pieces)
    chunks = replayer.chunks
    assert chunks >= 6
    assert len(replayer.kept) == (chunks + 2) // 3  # chunks 0, 3, 6, ...
    assert 0 < kept < replayer.acc.lines
