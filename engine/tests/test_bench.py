"""The benchmark runs and reports its figure (a smoke test; never timed here)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "bench" / "engine.py"


def test_it_runs_the_engine_benchmark_on_a_few_lines():
    spec = importlib.util.spec_from_file_location("bench_engine", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    result = module.run(lines=3000)
    assert result["scenario"] == "engine"
    assert result["lines"] == 3000
    assert result["lines_per_s"] > 0
    files = module.build_files(3000)
    assert sum(len(f.lines) for f in files) == 3000
