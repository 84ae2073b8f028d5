"""The what-if benchmark runs and reports its figures on a small load (PostgreSQL; never timed here)."""

from __future__ import annotations

import pytest
from django.db import connection

from bench import whatif as bench
from reports.whatif_ahead import replay_all
from reports.whatif_read import Period
from reports.whatif_replay import rules_build, rules_decide
from reports.whatif_services import proposal_validate


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("the what-if benchmark loads with COPY: PostgreSQL only")


@pytest.mark.django_db
def test_it_compares_the_replay_with_the_engine_alone_on_its_own_files():
    row = bench.run(lines=3_000)
    assert (row["scenario"], row["lines"], row["goal_ratio"]) == ("whatif", 3_000, 0.5)
    # Two chunks at this size, a first of a tenth of a chunk (2,000 lines, whole members) and the rest:
    # the engine alone decided the first again (every fourth chunk), both rule sets.
    assert 2_000 <= row["engine_sample_lines"] < 2_100
    assert row["engine_single_pass_lines_per_s"] == pytest.approx(2 * row["engine_lines_per_s"], abs=1)
    assert row["ratio"] == pytest.approx(row["lines_per_s"] / row["engine_lines_per_s"], abs=0.002)
    assert row["met"] is (row["ratio"] >= 0.5)
    assert len(row["replay_passes_seconds"]) == 2 and row["seconds"] == min(row["replay_passes_seconds"])
    assert row["members_affected"] > 0


@pytest.mark.django_db
def test_it_samples_every_kth_chunk_as_the_replay_builds_it():
    bench._load(3_000)
    period = Period(bench.YEAR, bench.YEAR.replace(month=12, day=31))
    rules = rules_build(proposal_validate(raw=bench.PROPOSAL), period=period)
    replayer = replay_all(period=period, rules=rules, size=500)
    chunks = replayer.chunks
    assert chunks >= 6
    sample = bench.pieces_sample(period=period, every=3, size=500)
    assert len(sample) == (chunks + 2) // 3  # chunks 0, 3, 6, ...
    assert 0 < sum(len(f.lines) for pieces in sample for f in pieces) < replayer.acc.lines
    # Every chunk: the same lines the replay decided, and the same decisions.
    every = bench.pieces_sample(period=period, every=1, size=500)
    assert sum(len(f.lines) for pieces in every for f in pieces) == replayer.acc.lines == 3_000
    decided = [d for pieces in every for fd in rules_decide(pieces, rules)[0] for d in fd.lines]
    current = sum(d.amo + d.complementary for d in decided)
    assert current == replayer.acc.totals["amo"][0] + replayer.acc.totals["complementary"][0]
