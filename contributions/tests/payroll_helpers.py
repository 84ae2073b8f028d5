"""Building and importing payroll files in tests."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from typing import Any

from contributions.models import PayrollFile
from contributions.services_payroll import UploadOutcome, payroll_file_upload
from jobs.services import job_work
from members.models import Administration

HEADER = "matricule;period;base_salary;complementary;death_fund;amo_employee;amo_employer"
PERIOD = dt.date(2026, 3, 1)


def csv_bytes(rows: Sequence[Sequence[Any]], header: str = HEADER) -> bytes:
    return ("\n".join([header, *(";".join(str(c) for c in r) for r in rows)]) + "\n").encode()


def upload(actor: Any, administration: Administration, data: bytes, period: dt.date = PERIOD) -> UploadOutcome:
    return payroll_file_upload(
        actor=actor, administration=administration, period=period, file=io.BytesIO(data), filename="paie.csv"
    )


def import_file(actor: Any, administration: Administration, data: bytes, period: dt.date = PERIOD) -> PayrollFile:
    """Upload, then run the worker until the queue is empty; the file as stored afterwards."""
    outcome = upload(actor, administration, data, period)
    while job_work(worker="test") is not None:
        pass
    outcome.file.refresh_from_db()
    return outcome.file
