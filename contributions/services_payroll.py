"""Payroll deduction files: upload (queues the import job) and apply (the job's last chunk).

Applying a file, in one transaction: the earlier file of the same administration and month (if
any) becomes superseded and its ledger rows inactive; then, set-based, one due row per known
member (the schedule applied to the salary in the file) unless a due of that month already
exists from another source, one paid row per known member (what was withheld), and a due row
from the schedule for each active member of the administration missing from the file; the
import is audited and the rights review queued for the members paid.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import IO

from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.models import AuditAction
from audit.services import audit_record
from claims.uploads import display_name
from contributions.imports import reader_forget, stored_path
from contributions.models import (
    EntryKind,
    EntrySource,
    LedgerEntry,
    OffPayroll,
    PayrollFile,
    PayrollLine,
    PayrollState,
)  # fmt: skip
from contributions.models.ledger import FUND_COLUMNS as FUNDS
from contributions.rules import month_next, to_centimes
from contributions.selectors import quote_from_rules, schedule_rules
from contributions.services_common import ContributionRefused, ledger_insert_select, rights_review_enqueue
from jobs.models import Job
from jobs.services import job_enqueue
from members import imports_read as rd
from members.models import Administration, Member, MemberStatus
from mutuelle.bulk import one_of, rows_copy
from mutuelle.types import Actor, actor_user

PAYROLL_IMPORT = "contributions.payroll_import"
MANAGE = "contributions.manage_payroll"
MAX_BYTES = 200 * 1024 * 1024  # 500,000 rows of CSV are about 25 MB

MSG_FORBIDDEN = _("You are not allowed to import payroll deduction files.")
MSG_TOO_LARGE = _("The file is too large: at most %(mb)d MB.")
MSG_RUNNING = _("A file for this administration and month is being imported; wait for it to finish.")
MSG_DUPLICATE = _("This file was already sent (same content, file #%(id)d of %(when)s): nothing was changed.")


@dataclass(frozen=True)
class UploadOutcome:
    file: PayrollFile
    duplicate: bool
    job: Job | None
    message: str = ""


def _hash_and_size(file: IO[bytes]) -> tuple[str, int]:
    digest = hashlib.sha256()
    file.seek(0)
    size = 0
    while block := file.read(1024 * 1024):
        digest.update(block)
        size += len(block)
    file.seek(0)
    return digest.hexdigest(), size


def _rows_estimate(file: IO[bytes], kind: str) -> int | None:
    """Data rows of a CSV (its line count less the header), for the progress bar; None for a workbook."""
    if kind != "csv":
        return None
    file.seek(0)
    count = sum(block.count(b"\n") for block in iter(lambda: file.read(1024 * 1024), b""))
    file.seek(0)
    return max(count - 1, 0)


def payroll_file_upload(
    *, actor: Actor, administration: Administration, period: dt.date, file: IO[bytes], filename: str
) -> UploadOutcome:
    """Store the file and queue its import; the same content twice is reported and changes nothing."""
    if actor is not None and not actor.has_perm(MANAGE):
        raise ContributionRefused(MSG_FORBIDDEN)
    period = period.replace(day=1)
    digest, size = _hash_and_size(file)
    if size > MAX_BYTES:
        raise ContributionRefused(MSG_TOO_LARGE % {"mb": MAX_BYTES // (1024 * 1024)})
    try:
        kind = rd.detect_kind(file)
    except rd.FileRefused as refused:
        raise ContributionRefused(refused.message) from None
    same = (
        PayrollFile.objects.filter(administration=administration, content_hash=digest)
        .exclude(state=PayrollState.REFUSED)
        .first()
    )
    if same is not None:
        when = timezone.localtime(same.uploaded_at).strftime("%Y-%m-%d %H:%M")
        return UploadOutcome(same, True, None, str(MSG_DUPLICATE % {"id": same.pk, "when": when}))
    stored = f"{secrets.token_hex(16)}.{kind}"
    estimate = _rows_estimate(file, kind)
    with transaction.atomic(durable=True):
        _abandoned_refuse(administration, period)
        if PayrollFile.objects.filter(administration=administration, period=period, state=PayrollState.IMPORTING):
            raise ContributionRefused(MSG_RUNNING)
        record = PayrollFile.objects.create(
            administration=administration, period=period, filename=display_name(filename, extension=f".{kind}"),
            stored_name=stored, content_hash=digest, kind=kind, uploaded_by=actor_user(actor),
        )  # fmt: skip
        target = stored_path(record)
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("wb") as out:
            while block := file.read(1024 * 1024):
                out.write(block)
        job = job_enqueue(kind=PAYROLL_IMPORT, params={"file_id": record.pk, "rows_estimate": estimate})
        PayrollFile.objects.filter(pk=record.pk).update(job=job)
        record.job = job
    return UploadOutcome(record, False, job)


def _abandoned_refuse(administration: Administration, period: dt.date) -> None:
    """An import whose job failed for good is refused, so the month can be sent again."""
    PayrollFile.objects.filter(
        administration=administration, period=period, state=PayrollState.IMPORTING, job__state="failed"
    ).update(state=PayrollState.REFUSED)


def payroll_file_apply(*, file: PayrollFile) -> None:
    """The import job's last step, inside its chunk's transaction: refuse, or apply (module docstring)."""
    reader_forget(file.pk)
    file = PayrollFile.objects.select_for_update().get(pk=file.pk)
    if file.state != PayrollState.IMPORTING:
        return  # applied or refused by an earlier run of this step
    if file.error_count or not file.rows:
        if not file.rows and not file.error_count:
            file.errors.create(line=0, field="", message=str(rd.FILE_EMPTY))
            file.error_count = 1
        file.lines.all().delete()
        file.state = PayrollState.REFUSED
        file.save(update_fields=["state", "error_count"])
        return
    earlier = (
        PayrollFile.objects.select_for_update()
        .filter(administration_id=file.administration_id, period=file.period, state=PayrollState.IMPORTED)
        .first()
    )
    if earlier is not None:
        earlier.state = PayrollState.SUPERSEDED
        earlier.save(update_fields=["state"])
        LedgerEntry.objects.filter(payroll_file=earlier, active=True).update(active=False)
        file.supersedes = earlier
    paid_on = timezone.localdate()
    counts = _ledger_from_lines(file, paid_on) | {"missing_dues": _missing_dues(file)}
    file.state, file.imported_at = PayrollState.IMPORTED, timezone.now()
    file.save(update_fields=["state", "imported_at", "supersedes"])
    after = {
        "filename": file.filename, "period": f"{file.period:%Y-%m}", "administration": file.administration_id,
        "rows": file.rows, "sha256": file.content_hash, "supersedes": earlier.pk if earlier else None, **counts,
    }  # fmt: skip
    audit_record(
        actor=file.uploaded_by, action=AuditAction.IMPORT, obj=file, after=after,
        note="payroll file replaced" if earlier else "payroll file",
    )  # fmt: skip
    member_ids = list(PayrollLine.objects.filter(file=file, member__isnull=False).values_list("member_id", flat=True))
    rights_review_enqueue(member_ids=member_ids)


def _ledger_from_lines(file: PayrollFile, paid_on: dt.date) -> dict[str, int]:
    lines = PayrollLine._meta.db_table
    ledger = LedgerEntry._meta.db_table
    common = {"member_id": "l.member_id", "month": "%s", "source": "%s", "payroll_file_id": "l.file_id"}
    funds = ("complementary", "death_fund", "amo_employee", "amo_employer")
    due = ledger_insert_select(
        {**common, "kind": "%s", "base": "l.base_salary", **{f: f"l.expected_{f}" for f in funds}},
        [file.period, EntrySource.PAYROLL, EntryKind.DUE],
        f"FROM {lines} l WHERE l.file_id = %s AND l.member_id IS NOT NULL AND l.expected_complementary IS NOT NULL "  # noqa: S608
        f"AND NOT EXISTS (SELECT 1 FROM {ledger} e WHERE e.member_id = l.member_id AND e.month = %s "
        "AND e.kind = 'due' AND e.active = %s)",
        [file.pk, file.period, True],
    )
    paid = ledger_insert_select(
        {**common, "kind": "%s", "paid_on": "%s", "base": "l.base_salary", **{f: f"l.{f}" for f in funds}},
        [file.period, EntrySource.PAYROLL, EntryKind.PAID, paid_on],
        f"FROM {lines} l WHERE l.file_id = %s AND l.member_id IS NOT NULL",
        [file.pk],
    )
    return {"dues": due, "payments": paid}


def missing_members(file: PayrollFile) -> QuerySet[Member]:
    """Active members of the file's administration who are not in it nor off payroll that month.

    The members in the file are found by walking two id-ordered streams side by side (the
    administration's members, the file's lines), in constant memory: an anti-join over a table
    just filled in bulk is planned on stale statistics and can cost more than the import itself.
    """
    first, after = file.period, month_next(file.period)
    staff = (
        Member.objects.filter(administration_id=file.administration_id, joined_on__lt=after)
        .filter(status__in=[MemberStatus.ACTIVE, MemberStatus.SUSPENDED])
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    in_file = (
        PayrollLine.objects.filter(file=file, member__isnull=False)
        .order_by("member_id")
        .values_list("member_id", flat=True)
    )
    absent = list(_ids_not_in(staff.iterator(5000), in_file.iterator(5000)))
    off = OffPayroll.objects.filter(member_id=OuterRef("pk"), valid_from__lt=after).exclude(valid_to__lte=first)
    return Member.objects.filter(one_of(Member, "id", absent)).exclude(Exists(off)).order_by("matricule")


def _ids_not_in(ids: Iterator[int], others: Iterator[int]) -> Iterator[int]:
    """The ids of `ids` not in `others`; both ascending."""
    other = next(others, None)
    for pk in ids:
        while other is not None and other < pk:
            other = next(others, None)
        if other != pk:
            yield pk


def _missing_dues(file: PayrollFile) -> int:
    """A due from the schedule (on the member's recorded salary) for each member missing from the file."""
    has_due = LedgerEntry.objects.filter(member_id=OuterRef("pk"), month=file.period, kind=EntryKind.DUE, active=True)
    rules = schedule_rules(month=file.period, status="active")
    rows = []
    for member_id, salary in (
        missing_members(file).exclude(Exists(has_due)).filter(base_salary__gt=0).values_list("pk", "base_salary")
    ):
        q = quote_from_rules(rules, to_centimes(salary or Decimal(0)))
        rows.append((member_id, file.period, EntryKind.DUE, EntrySource.SCHEDULE, file.pk, salary,
                     q.complementary, q.death_fund, q.amo_employee, q.amo_employer))  # fmt: skip
    fields = ("member_id", "month", "kind", "source", "payroll_file_id", "base", *FUNDS)
    rows_copy(LedgerEntry, fields, rows)
    return len(rows)
