"""The payroll import job, one chunk at a time: validate and stage rows, then apply the file.

Upload (`contributions.services_payroll.payroll_file_upload`) stores the file under a server-chosen
name and queues a `contributions.payroll_import` job. Each chunk of the job reads the next
`CHUNK` rows, checks them (row by row, within the file, against the members) and stages the
good ones as PayrollLine rows of the file, still `importing`, so in no ledger; errors are kept
on the file. The worker commits the chunk and the cursor together, so a job killed at any point
resumes at the first row not committed and ends as an uninterrupted run. After the last row the
file is applied in one chunk (`payroll_file_apply`) or refused; nothing else is visible before.

Memory: one chunk of rows; the file is streamed (CSV reader or openpyxl's read-only mode).
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db.models import F

from contributions import imports_read as pr
from contributions.models import PayrollError, PayrollFile, PayrollLine
from contributions.rules import Rule
from contributions.selectors import quote_from_rules, schedule_rules, schedule_status_of
from members import imports_read as rd
from members.models import Member
from mutuelle.bulk import one_of, rows_copy

CHUNK = 20_000
MAX_STORED_ERRORS = 1000
_LINE_FIELDS = (
    "file_id", "line", "matricule", "member_id", "member_status", "member_administration_id", "base_salary",
    "complementary", "death_fund", "amo_employee", "amo_employer",
    "expected_complementary", "expected_death_fund", "expected_amo_employee", "expected_amo_employer",
)  # fmt: skip
# The reader of a file this process is in the middle of: (rows consumed, parser, rows iterator).
_OPEN: dict[int, tuple[int, pr.LineParser, Iterator[tuple[int, tuple[Any, ...]]]]] = {}


def stored_path(file: PayrollFile) -> Path:
    return Path(settings.PRIVATE_MEDIA_ROOT) / "contributions" / "payroll" / file.stored_name


def _reader(file: PayrollFile, position: int) -> tuple[pr.LineParser | None, Iterator[tuple[int, tuple[Any, ...]]]]:
    """The rows after the first `position` data rows; the parser is None when the header is refused."""
    cached = _OPEN.pop(file.pk, None)
    if cached is not None and cached[0] == position:
        return cached[1], cached[2]
    handle = stored_path(file).open("rb")
    rows = rd.iter_raw(handle, file.kind)
    first = next(rows, None)
    if first is None:
        raise rd.FileRefused(rd.FILE_EMPTY)
    positions, header_errors = pr.header_map(first[1], first[0])
    if header_errors:
        _errors_add(file, header_errors)
        return None, iter(())
    for _ in range(position):
        next(rows, None)
    return pr.LineParser(positions, file.period), rows


def _errors_add(file: PayrollFile, errors: list[pr.RowError]) -> None:
    if not errors:
        return
    room = max(0, MAX_STORED_ERRORS - file.errors.count())
    PayrollError.objects.bulk_create(
        [PayrollError(file=file, line=e.line, field=e.field[:100], message=e.message[:500]) for e in errors[:room]]
    )
    PayrollFile.objects.filter(pk=file.pk).update(error_count=F("error_count") + len(errors))
    file.error_count += len(errors)


def payroll_chunk_validate(*, file: PayrollFile, position: int) -> tuple[int, bool]:
    """Check and stage the next chunk of rows; (rows consumed so far, end of file reached)."""
    try:
        parser, rows = _reader(file, position)
    except rd.FileRefused as refused:
        _errors_add(file, [pr.RowError(refused.line, "", refused.message)])
        return position, True
    if parser is None:
        return position, True
    lines: list[pr.Line] = []
    errors: list[pr.RowError] = []
    count = 0
    try:
        for line, cells in rows:
            count += 1
            parsed = parser.parse(line, cells)
            if isinstance(parsed, list):
                errors += parsed
            else:
                lines.append(parsed)
            if count >= CHUNK:
                break
    except rd.FileRefused as refused:
        errors.append(pr.RowError(refused.line, "", refused.message))
        _stage(file, lines, errors)
        return position + count, True
    _stage(file, lines, errors)
    done = count < CHUNK
    if not done:
        _OPEN[file.pk] = (position + count, parser, rows)
    return position + count, done


def _stage(file: PayrollFile, lines: list[pr.Line], errors: list[pr.RowError]) -> None:
    seen: dict[str, int] = {}
    earlier = dict(
        PayrollLine.objects.filter(one_of(PayrollLine, "matricule", [ln.matricule for ln in lines]), file=file)
        .values_list("matricule", "line")
    )  # fmt: skip
    unique: list[pr.Line] = []
    for ln in lines:
        first = earlier.get(ln.matricule) or seen.get(ln.matricule)
        if first:
            errors.append(pr.RowError(ln.line, "matricule", str(pr.DUPLICATE_MATRICULE % {"line": first})))
            continue
        seen[ln.matricule] = ln.line
        unique.append(ln)
    members = {
        m[0]: m[1:]
        for m in Member.objects.filter(one_of(Member, "matricule", list(seen))).values_list(
            "matricule", "id", "status", "administration_id"
        )
    }
    rules = {s: schedule_rules(month=file.period, status=s) for s in ("active", "retired")} if unique else {}
    expected: dict[tuple[str, Decimal], tuple[Any, ...]] = {}  # few distinct salaries in a file
    rows = [_line_row(file, ln, members.get(ln.matricule), rules, expected) for ln in unique]
    rows_copy(PayrollLine, _LINE_FIELDS, rows)
    PayrollFile.objects.filter(pk=file.pk).update(rows=F("rows") + len(lines))
    file.rows += len(lines)
    errors.sort(key=lambda e: e.line)
    _errors_add(file, errors)


def _line_row(
    file: PayrollFile,
    ln: pr.Line,
    member: tuple[int, str, int] | None,
    rules: dict[str, dict[str, Rule]],
    cache: dict[tuple[str, Decimal], tuple[Any, ...]],
) -> tuple[Any, ...]:
    member_id, status, admin_id = member if member else (None, "", None)
    status_for = schedule_status_of(status) if member else None
    if status_for is None:
        expected: tuple[Any, ...] = (None, None, None, None)
    else:
        key = (status_for, ln.base_salary)
        found = cache.get(key)
        if found is None:
            quote = quote_from_rules(rules[status_for], int(ln.base_salary * 100))
            found = cache[key] = (quote.complementary, quote.death_fund, quote.amo_employee, quote.amo_employer)
        expected = found
    return (file.pk, ln.line, ln.matricule, member_id, status, admin_id, *ln[2:], *expected)


def reader_forget(file_id: int) -> None:
    _OPEN.pop(file_id, None)
