"""`python manage.py payments_return_sample PB00000001 [--reject REF ...]`: a bank return CSV for a batch."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from payments.management.return_sample import return_csv_sample
from payments.models import BatchState, PaymentBatch


class Command(BaseCommand):
    help = (
        "Print a valid bank return CSV for an exported batch: every payment PAID, except the end-to-end "
        "references given with --reject (REJECTED with --reason). Save it and import it on the Bank returns page."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("batch_number", help="the batch number, e.g. PB00000002")
        parser.add_argument("--reject", action="append", default=[], metavar="REF", help="end-to-end id to reject")
        parser.add_argument("--reason", default="AC04", help="ISO reason code of the rejections (default AC04)")
        parser.add_argument("--value-date", type=dt.date.fromisoformat, default=None, help="YYYY-MM-DD")

    def handle(self, *args: Any, **options: Any) -> None:
        batch = PaymentBatch.objects.filter(number=options["batch_number"].strip().upper()).first()
        if batch is None:
            raise CommandError(f"No payment batch numbered {options['batch_number']}.")
        if batch.state not in (BatchState.EXPORTED, BatchState.CONFIRMED):
            raise CommandError(
                f"Batch {batch.number} is {batch.state}: download its bank file first (only an exported batch "
                "has payments with the bank)."
            )
        refs = set(batch.payments.values_list("end_to_end_id", flat=True))
        unknown = [r for r in options["reject"] if r not in refs]
        if unknown:
            raise CommandError(f"Not payments of {batch.number}: {', '.join(unknown)}")
        reason = options["reason"].strip().upper()
        if len(reason) != 4 or not reason.isalnum():
            raise CommandError("The reason code has 4 letters or digits, e.g. AC04.")
        data = return_csv_sample(
            batch, rejected=set(options["reject"]), reason=reason, value_date=options["value_date"]
        )
        if data.count(b"\n") < 2:
            raise CommandError(f"Batch {batch.number} has no payment waiting for the bank's answer.")
        self.stdout.write(data.decode(), ending="")
