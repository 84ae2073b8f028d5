"""`manage.py simulate claim FILE` against the seeded referentials."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command

from referentials.tests.scenario import EXAMPLE_PATH, example

pytestmark = pytest.mark.django_db


def _run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("simulate", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_it_gives_the_issue_figures_from_the_docs_example() -> None:
    out, err = _run("claim", str(EXAMPLE_PATH))
    data = json.loads(out)
    amounts = [tuple(line[k] for k in ("basis", "amo", "complementary", "remainder")) for line in data["lines"]]
    assert amounts == [("80.00", "64.00", "10.00", "126.00"), ("100.00", "70.00", "20.00", "10.00")]
    assert data["totals"]["remainder"] == "136.00"
    assert err == ""


def test_it_reads_stdin_and_labels_reasons_in_the_asked_language(monkeypatch: pytest.MonkeyPatch) -> None:
    scenario = example()
    scenario["lines"][1]["quantity"] = 2
    scenario["lines"].append(dict(scenario["lines"][1]))  # same medicine, same day: a duplicate
    monkeypatch.setattr("sys.stdin", io.StringIO(json.dumps(scenario)))
    out, _ = _run("claim", "-", "--lang", "fr")
    third = json.loads(out)["lines"][2]
    assert third["reasons"] == [{"code": "DUPLICATE", "label": "Doublon d'une ligne déjà acceptée"}]
    assert (third["status"], third["amo"], third["remainder"]) == ("rejected", "0.00", "100.00")


def test_it_lists_each_bad_field_on_stderr_and_exits_2(tmp_path: Path) -> None:
    scenario = example()
    scenario["filed_by"] = "cousin"
    scenario["lines"][0]["quantity"] = 0
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(scenario), encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command("simulate", "claim", str(path), "--lang", "en", stdout=io.StringIO(), stderr=err)
    assert exit_info.value.code == 2
    lines = err.getvalue().splitlines()
    assert "filed_by: This is not one of the allowed values. [invalid_choice]" in lines
    assert "lines[0].quantity: Enter a number greater than zero. [must_be_positive]" in lines


def test_it_reports_bad_json_with_its_position(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('{"filed_on": \n  oops}', encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command("simulate", "claim", str(path), stdout=io.StringIO(), stderr=err)
    assert exit_info.value.code == 2
    assert "line 2 column 3" in err.getvalue()
    assert "not valid JSON" in err.getvalue()


def test_it_reports_a_missing_file(tmp_path: Path) -> None:
    err = io.StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command("simulate", "claim", str(tmp_path / "nope.json"), stdout=io.StringIO(), stderr=err)
    assert exit_info.value.code == 2
    assert "nope.json" in err.getvalue()
