"""`manage.py arrears_review [--as-of YYYY-MM-DD]`: the arrears review (notices, suspensions,
restorations) run in the foreground as the system; prints what it did as JSON. Safe to rerun."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from contributions.services_rights import rights_review_run


class Command(BaseCommand):
    help = "Send formal notices, suspend and restore rights by the dated arrears rules."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--as-of", dest="as_of", default="", help="review date (default: today)")

    def handle(self, *args: Any, **options: Any) -> None:
        raw = options["as_of"]
        try:
            as_of = dt.date.fromisoformat(raw) if raw else timezone.localdate()
        except ValueError:
            raise CommandError(f"--as-of: not a date (YYYY-MM-DD): {raw!r}") from None
        result = rights_review_run(actor=None, as_of=as_of)
        self.stdout.write(json.dumps({"as_of": as_of.isoformat(), **result.as_dict()}))
