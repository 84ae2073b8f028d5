"""`manage.py simulate claim FILE`: scenario JSON in (FILE or - for stdin), decision JSON out.
`manage.py simulate contributions --salary 9000 --status active [--month YYYY-MM]`: the month's
contributions as JSON (complementary, death_fund, amo_employee, amo_employer).

The command lives in contributions because claims may not import contributions (layers).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import translation

from claims.simulator.services import SimulationError, simulation_errors, simulation_language, simulation_run
from contributions.quote import QuoteRefused, contribution_quote

EXIT_BAD_INPUT = 2


class Command(BaseCommand):
    help = "Simulate the reimbursement of a claim file described in JSON (nothing is stored)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="what", required=True)
        claim = sub.add_parser("claim", help="adjudicate one scenario file ('-' reads stdin)")
        claim.add_argument("file")
        claim.add_argument("--lang", default="en", choices=["ar", "fr", "en"], help="language of the reason labels")
        quote = sub.add_parser("contributions", help="the month's contributions for a salary or a pension")
        quote.add_argument("--salary", required=True, help="monthly base salary, or pension when retired (MAD)")
        quote.add_argument("--status", required=True, help="active or retired")
        quote.add_argument("--month", default=None, help="YYYY-MM (default: this month)")
        quote.add_argument("--lang", default="en", choices=["ar", "fr", "en"], help="language of the messages")

    def _fail(self, errors: list[dict[str, str]]) -> None:
        for e in errors:
            self.stderr.write(f"{e['field'] or '(body)'}: {e['message']} [{e['code']}]")
        sys.exit(EXIT_BAD_INPUT)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["what"] == "contributions":
            self._contributions(options)
            return
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

    def _contributions(self, options: dict[str, Any]) -> None:
        with translation.override(simulation_language(options["lang"])):
            try:
                answer = contribution_quote(salary=options["salary"], status=options["status"], month=options["month"])
            except QuoteRefused as refused:
                for e in refused.errors:
                    self.stderr.write(f"{e.field}: {e.message}")
                sys.exit(EXIT_BAD_INPUT)
        self.stdout.write(json.dumps(answer.quote.as_strings(), indent=2))
