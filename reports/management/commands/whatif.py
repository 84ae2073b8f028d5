"""`manage.py whatif --from 2026-01-01 --to 2026-12-31 --change proposal.json`: a policy what-if on stdout.

The same replay as the page's job (reports.whatif_replay), in this process; JSON out (amounts in
dirhams as text). A bad proposal or period: the problems on stderr, exit status 2, nothing run.
"""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from referentials.engine_data import engine_data
from reports.whatif_ahead import replay_all
from reports.whatif_proposal import ProposalError
from reports.whatif_replay import rules_build
from reports.whatif_report import report_json, report_of
from reports.whatif_services import period_check, proposal_validate, result_finish


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"not a date (YYYY-MM-DD): {text!r}", returncode=2) from None


class Command(BaseCommand):
    help = "Replay the engine over the stored claims of a period with a proposal; JSON on stdout."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--from", dest="start", required=True, help="first date of care (YYYY-MM-DD)")
        parser.add_argument("--to", dest="end", required=True, help="last date of care, included")
        parser.add_argument("--change", required=True, help="proposal JSON file (docs/whatif.md), or - for stdin")

    def handle(self, *args: Any, **options: Any) -> None:
        source = options["change"]
        try:
            text = sys.stdin.read() if source == "-" else Path(source).read_text(encoding="utf-8")
        except OSError as exc:
            raise CommandError(f"cannot read {source}: {exc.strerror}", returncode=2) from None
        try:
            raw = json.loads(text)
        except json.JSONDecodeError as exc:
            raise CommandError(f"{source}: not JSON ({exc.msg}, line {exc.lineno})", returncode=2) from None
        try:
            period = period_check(start=_date(options["start"]), end=_date(options["end"]))
            data = engine_data()
            proposal = proposal_validate(raw=raw, data=data)
            rules = rules_build(proposal, period=period, data=data)
        except ProposalError as exc:
            lines = "\n".join(f"  {p.text()}" for p in exc.problems)
            raise CommandError(f"{exc.message}\n{lines}", returncode=2) from None
        replayer = replay_all(period=period, rules=rules)
        out = report_json(report_of(result_finish(replayer.acc)), name=proposal.name,
                          period=(period.start.isoformat(), period.end.isoformat()))  # fmt: skip
        self.stdout.write(json.dumps(out, ensure_ascii=False, indent=2))
