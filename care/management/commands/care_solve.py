"""`manage.py care_solve INSTANCE.json --out SOLUTION.json`: a centre's week solved offline, no database.

The instance and solution formats are care.solver's (docs/readme-solver.md). Nothing here opens a
database connection: system checks are skipped and the command only reads and writes files.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext_lazy as _

from care.solver import InstanceError, instance_parse, solution_json, solve

CANNOT_READ = _("Cannot read %(path)s: %(error)s")
NOT_JSON = _("%(path)s is not JSON: %(error)s")
INVALID = _("%(path)s is not a valid instance: %(error)s")
CANNOT_WRITE = _("Cannot write %(path)s: %(error)s")
BAD_LIMIT = _("The time limit must be a positive number of seconds.")
SUMMARY = _("%(status)s: %(placed)d of %(planned)d sessions placed, %(unmet)d plans short, in %(seconds).1f s.")


class Command(BaseCommand):
    help = "Solve an Amal centre's weekly timetable described in a JSON file, without the database."
    # The checks would import and inspect every app; the solver needs none of it (and no database).
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("instance", help="the centre's week as JSON (see the README), - for standard input")
        parser.add_argument("--out", help="where to write the solution (standard output if omitted)")
        parser.add_argument("--time-limit", type=float, default=30.0, help="seconds the solver may use")
        parser.add_argument("--workers", type=int, default=2, help="solver threads")
        parser.add_argument("--seed", type=int, default=0, help="solver random seed")

    def handle(self, *args: Any, **options: Any) -> None:
        path = options["instance"]
        if not options["time_limit"] > 0 or options["workers"] < 1:
            raise CommandError(BAD_LIMIT)
        try:
            text = sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(CANNOT_READ % {"path": path, "error": exc}) from exc
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise CommandError(NOT_JSON % {"path": path, "error": exc}) from exc
        try:
            instance = instance_parse(data)
        except InstanceError as exc:
            raise CommandError(INVALID % {"path": path, "error": exc}) from exc
        solution = solve(instance, time_limit=options["time_limit"], workers=options["workers"], seed=options["seed"])
        body = solution_json(solution)
        out = options["out"]
        if not out:
            self.stdout.write(body, ending="")
        else:
            _write_atomic(Path(out), body)
        summary = SUMMARY % {
            "status": solution.status.value,
            "placed": len(solution.sessions),
            "planned": instance.sessions_planned,
            "unmet": len(solution.unmet),
            "seconds": solution.seconds,
        }
        # With the solution on standard output the summary goes to standard error, so pipes get pure JSON.
        (self.stdout if out else self.stderr).write(str(summary))


def _write_atomic(path: Path, body: str) -> None:
    """Write beside the target then rename: a killed run never leaves half a solution file."""
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent if str(path.parent) else ".", prefix=".care_solve-")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(body)
        os.replace(tmp, path)
    except OSError as exc:
        raise CommandError(CANNOT_WRITE % {"path": path, "error": exc}) from exc
