"""`manage.py care_daily [--on YYYY-MM-DD]`: the centres' calendar work of the day (run it from cron).

Expires the offers whose deadline passed and offers their places to the next children, closes the
enrolments reaching the age limit, warns the families ahead by each programme's notice period, and
offers any place still free. Safe to run again, or after a kill: it does only what is still to do.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from care.services_waiting import care_daily_run


class Command(BaseCommand):
    help = "Expire unanswered offers, offer freed places, close and warn about age-outs."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--on", help="the day to run for (default: today)")

    def handle(self, *args: Any, **options: Any) -> None:
        on = None
        if options.get("on"):
            try:
                on = dt.date.fromisoformat(options["on"])
            except ValueError as exc:
                raise CommandError(f"--on: {exc}") from None
        result = care_daily_run(on=on)
        self.stdout.write(json.dumps({"expired": result.expired, "offered": result.offered,
                                      "warned": result.warned, "left": result.left}))  # fmt: skip
