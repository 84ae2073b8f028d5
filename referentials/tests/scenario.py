"""Scenario builders shared by the referentials and simulator tests."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

EXAMPLE_PATH = Path(__file__).resolve().parents[2] / "docs" / "simulate-example.json"


def example() -> dict[str, Any]:
    """The issue's example scenario, as shipped in docs/simulate-example.json."""
    return json.loads(EXAMPLE_PATH.read_text(encoding="utf-8"))


def one_line(line: dict[str, Any], *, filed_on: str | None = None, **top: Any) -> dict[str, Any]:
    """The example's file and beneficiary with a single given line."""
    data = copy.deepcopy(example())
    data["lines"] = [line]
    data["filed_on"] = filed_on or line["date"]
    data.update(top)
    return data
