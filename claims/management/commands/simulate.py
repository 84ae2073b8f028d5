"""`manage.py simulate claim FILE`: scenario JSON in (FILE or - for stdin), decision JSON out."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from claims.simulator.services import SimulationError, simulation_errors, simulation_run

EXIT_BAD_INPUT = 2


class Command(BaseCommand):
    help = "Simulate the reimbursement of a claim file described in JSON (nothing is stored)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="what", required=True)
        claim = sub.add_parser("claim", help="adjudicate one scenario file ('-' reads stdin)")
        claim.add_argument("file")
        claim.add_argument("--lang", default="en", choices=["ar", "fr", "en"], help="language of the reason labels")

    def _fail(self, errors: list[dict[str, str]]) -> None:
        for e in errors:
            self.stderr.write(f"{e['field'] or '(body)'}: {e['message']} [{e['code']}]")
        sys.exit(EXIT_BAD_INPUT)

    def handle(self, *args: Any, **options: Any) -> None:
        lang = options["lang"]
        name = options["file"]
        try:
            text = sys.stdin.read() if name == "-" else Path(name).read_text(encoding="utf-8")
        except OSError as e:
            self.stderr.write(f"{name}: {e.strerror}")
            sys.exit(EXIT_BAD_INPUT)
        try:
            data = json.loads(text)
        except json.JSONDecodeError as e:
            self.stderr.write(f"line {e.lineno} column {e.colno}: {e.msg}")
            self._fail(simulation_errors([("", "invalid_json")], lang))
        try:
            result = simulation_run(data=data, lang=lang)
        except SimulationError as e:
            self._fail(e.errors)
        self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))
