"""`manage.py care_solve`: a JSON file in, a solution file out, no database; bad input exits non-zero."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connections

from care.solver import instance_dump
from care.solver.generate import centre_generate
from care.tests.timetable_validator import timetable_problems

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def centre_file(tmp_path: Path) -> tuple[Path, dict]:
    data = instance_dump(centre_generate(children=15, therapists=4, rooms=3, load=0.7, seed=5))
    path = tmp_path / "centre.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path, data


def test_it_writes_a_valid_solution_without_touching_the_database(centre_file, tmp_path: Path):
    # No `db` fixture: pytest-django makes any database access fail this test.
    path, data = centre_file
    out = tmp_path / "solution.json"
    # Earlier tests of the same process may have left a connection open; the command adds none.
    before = {alias: connections[alias].connection for alias in connections}
    call_command("care_solve", str(path), "--out", str(out), "--time-limit", "10", "--workers", "1")
    solution = json.loads(out.read_text(encoding="utf-8"))
    assert timetable_problems(data, solution) == []
    assert solution["status"] == "optimal"
    assert {alias: connections[alias].connection for alias in connections} == before


def _run(*args: str, database_url: str = "postgres://nobody@127.0.0.1:1/unreachable") -> subprocess.CompletedProcess:
    # Port 1 answers nothing: any connection attempt would fail the run.
    env = {**os.environ, "DATABASE_URL": database_url, "DEBUG": "1"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.run(
        [sys.executable, "manage.py", "care_solve", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_it_runs_with_the_database_unreachable(centre_file, tmp_path: Path):
    path, data = centre_file
    out = tmp_path / "solution.json"
    run = _run(str(path), "--out", str(out), "--time-limit", "10")
    assert run.returncode == 0, run.stderr
    assert timetable_problems(data, json.loads(out.read_text(encoding="utf-8"))) == []
    assert "optimal" in run.stdout


def test_it_prints_the_solution_on_standard_output_without_out(centre_file):
    path, data = centre_file
    run = _run(str(path), "--time-limit", "10")
    assert run.returncode == 0, run.stderr
    assert timetable_problems(data, json.loads(run.stdout)) == []


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b'{"days": 5,', "is not JSON"),
        (b'{"days": 5}', "missing field 'slots_per_day'"),
        (b"\xff\xfe", "Cannot read"),  # not UTF-8
    ],
)
def test_it_refuses_a_bad_file_with_a_clear_message(tmp_path: Path, content: bytes, message: str):
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    out = tmp_path / "solution.json"
    with pytest.raises(CommandError, match=message):
        call_command("care_solve", str(path), "--out", str(out))
    assert not out.exists()


def test_it_exits_non_zero_with_the_reason_on_stderr(tmp_path: Path):
    path = tmp_path / "bad.json"
    path.write_text(
        json.dumps(
            {
                "days": 5,
                "slots_per_day": 16,
                "therapies": ["speech"],
                "rooms": [{"id": "R1", "therapies": ["physio"]}],
                "therapists": [],
                "children": [],
            }
        )
    )
    run = _run(str(path), "--out", str(tmp_path / "out.json"))
    assert run.returncode != 0
    assert "rooms[0].therapies[0]: unknown therapy 'physio'" in run.stderr
    assert "Traceback" not in run.stderr


def test_it_refuses_a_missing_file(tmp_path: Path):
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("care_solve", str(tmp_path / "nowhere.json"))
