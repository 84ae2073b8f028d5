"""`make bench`: every benchmark scenario, one JSON line each, against the database DATABASE_URL names.

Database scenarios run in a throw-away test database created next to it (as the test runner
does), so benchmarking never touches real data.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

# Scenario name -> module under bench/ exposing run(**kwargs) -> dict. Order is the run order.
SCENARIOS: dict[str, tuple[str, bool]] = {
    "engine": ("bench.engine", False),
    "roster_import": ("bench.roster_import", True),
    "adjudicate": ("bench.adjudicate", True),
    "payments": ("bench.payments", True),
    "payroll": ("bench.payroll", True),
    "timetable": ("bench.timetable", False),
    "whatif": ("bench.whatif", True),
    "dashboard": ("bench.dashboard", True),
    "lists": ("bench.lists", True),
    "national_demo": ("bench.national_demo", True),
    "eligibility": ("bench.web_eligibility", True),
    "search": ("bench.web_search", True),
    "submit": ("bench.web_submit", True),
}


def _emit(result: dict[str, Any] | list[dict[str, Any]]) -> None:
    """One JSON line per result; a scenario measuring several sizes (timetable: two loads) returns a list."""
    for row in result if isinstance(result, list) else [result]:
        print(json.dumps(row), flush=True)


def _available() -> dict[str, tuple[Callable[..., dict[str, Any] | list[dict[str, Any]]], bool]]:
    found = {}
    for name, (module, needs_db) in SCENARIOS.items():
        try:
            found[name] = (importlib.import_module(module).run, needs_db)
        except ModuleNotFoundError as exc:
            if exc.name != module:
                raise
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="make bench")
    parser.add_argument("--only", help="run one scenario: " + ", ".join(SCENARIOS))
    args = parser.parse_args(argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mutuelle.test_settings")
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment

    scenarios = _available()
    if args.only:
        if args.only not in scenarios:
            print(f"unknown scenario {args.only!r}; known: {', '.join(scenarios)}", file=sys.stderr)
            return 2
        scenarios = {args.only: scenarios[args.only]}

    setup_test_environment()
    for run, needs_db in scenarios.values():
        if not needs_db:
            _emit(run())
            continue
        # A fresh database per scenario: one's data never skews the next one's figures.
        real_name = connection.settings_dict["NAME"]
        if connection.vendor == "sqlite":
            # A file, not memory: scenarios that start worker processes must reach the same database.
            connection.settings_dict["TEST"]["NAME"] = str(Path(tempfile.gettempdir()) / "mutuelle-bench.sqlite3")
        connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
        try:
            _emit(run())
        finally:
            connection.creation.destroy_test_db(real_name, verbosity=0)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
