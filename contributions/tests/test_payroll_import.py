"""Payroll deduction files: applied, refused, idempotent, replaced, resumed after a kill."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any
from unittest import mock

import pytest

from accounts.roles import Role
from audit.models import AuditEvent
from contributions import imports
from contributions.models import LedgerEntry, PayrollFile, PayrollLine, PayrollState
from contributions.selectors import member_arrears_list
from contributions.tests.factories import administration_make, member_make
from contributions.tests.payroll_helpers import csv_bytes, import_file, upload
from jobs.models import Job, JobState
from jobs.services import job_claim, job_run, job_work
from members.models import MemberStatus
from members.services_status import member_status_change

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _private(settings: Any, tmp_path: Path) -> None:
    settings.PRIVATE_MEDIA_ROOT = tmp_path


@pytest.fixture
def accountant(make_user: Any) -> Any:
    return make_user(Role.ACCOUNTANT)


def _ledger(member: Any) -> list[tuple[str, str, Decimal, bool]]:
    rows = LedgerEntry.objects.filter(member=member).order_by("id")
    return [
        (e.kind, e.source, e.complementary + e.death_fund + e.amo_employee + e.amo_employer, e.active) for e in rows
    ]


def test_it_applies_a_file_to_the_ledger(accountant: Any) -> None:
    admin = administration_make()
    a = member_make(administration=admin, base_salary=Decimal("9000"))
    b = member_make(administration=admin, base_salary=Decimal("2000"))
    missing = member_make(administration=admin, base_salary=Decimal("9000"))
    # a: 9,000 -> due 50 + 15 + 225 + 225 = 515.00, all withheld. b: 2,000 -> due 36 + 15 + 70 + 70 = 191.00,
    # withheld 36 + 15 + 50 + 70 = 171.00 (AMO employee share under its floor): 20.00 short.
    data = csv_bytes([(a.matricule, "2026-03", "9000", "50", "15", "225", "225"),
                      (b.matricule, "2026-03", "2000,00", "36", "15", "50", "70")])  # fmt: skip
    file = import_file(accountant, admin, data)
    assert (file.state, file.rows, file.error_count) == (PayrollState.IMPORTED, 2, 0)
    assert _ledger(a) == [("due", "payroll", Decimal("515.00"), True), ("paid", "payroll", Decimal("515.00"), True)]
    assert _ledger(b) == [("due", "payroll", Decimal("191.00"), True), ("paid", "payroll", Decimal("171.00"), True)]
    # The member missing from the file owes the month from the schedule on its recorded salary: 515.00.
    assert _ledger(missing) == [("due", "schedule", Decimal("515.00"), True)]
    arrears = {x.member_id: x.amount_due for x in member_arrears_list(as_of=dt.date(2026, 4, 5))}
    assert arrears == {b.pk: Decimal("20.00"), missing.pk: Decimal("515.00")}
    event = AuditEvent.objects.get(action="import", object_type="contributions.payrollfile")
    assert event.after["rows"] == 2 and event.after["missing_dues"] == 1


def test_it_refuses_a_bad_file_whole_with_each_error(accountant: Any) -> None:
    admin = administration_make()
    a = member_make(administration=admin, base_salary=Decimal("9000"))
    data = csv_bytes([
        (a.matricule, "2026-03", "9000", "50", "15", "225", "225"),
        ("12", "2026-03", "9000", "50", "15", "225", "225"),
        ("77777", "2026-04", "-5", "x", "15", "225", "225"),
        (a.matricule, "2026-03", "9000", "50", "15", "225", "225"),
    ])  # fmt: skip
    file = import_file(accountant, admin, data)
    assert file.state == PayrollState.REFUSED
    errors = [(e.line, e.field) for e in file.errors.all()]
    assert errors == [(3, "matricule"), (4, "period"), (4, "base_salary"), (4, "complementary"), (5, "matricule")]
    assert "line 2" in file.errors.get(line=5).message
    assert not PayrollLine.objects.exists() and not LedgerEntry.objects.exists()


def test_it_refuses_a_header_without_its_columns(accountant: Any) -> None:
    file = import_file(
        accountant, administration_make(), csv_bytes([("12345", "2026-03")], header="matricule;salaire_x")
    )
    assert file.state == PayrollState.REFUSED
    assert {e.field for e in file.errors.all()} == {"salaire_x", "period", "base_salary"}


def test_it_changes_nothing_for_the_same_file_twice(accountant: Any) -> None:
    admin = administration_make()
    a = member_make(administration=admin, base_salary=Decimal("9000"))
    data = csv_bytes([(a.matricule, "2026-03", "9000", "50", "15", "225", "225")])
    first = import_file(accountant, admin, data)
    before = (LedgerEntry.objects.count(), AuditEvent.objects.count(), Job.objects.count())
    again = upload(accountant, admin, data)
    assert again.duplicate and again.file.pk == first.pk and f"#{first.pk}" in again.message
    assert (LedgerEntry.objects.count(), AuditEvent.objects.count(), Job.objects.count()) == before


def test_it_replaces_an_earlier_file_with_a_corrected_one(accountant: Any) -> None:
    admin = administration_make()
    a = member_make(administration=admin, base_salary=Decimal("2000"))
    wrong = import_file(accountant, admin, csv_bytes([(a.matricule, "2026-03", "2000", "36", "15", "50", "70")]))
    right = import_file(accountant, admin, csv_bytes([(a.matricule, "2026-03", "2000", "36", "15", "70", "70")]))
    wrong.refresh_from_db()
    assert (wrong.state, right.state, right.supersedes_id) == (PayrollState.SUPERSEDED, PayrollState.IMPORTED, wrong.pk)
    # The earlier rows stay, inactive; the month is now paid in full (191.00 due and paid).
    assert _ledger(a) == [
        ("due", "payroll", Decimal("191.00"), False), ("paid", "payroll", Decimal("171.00"), False),
        ("due", "payroll", Decimal("191.00"), True), ("paid", "payroll", Decimal("191.00"), True),
    ]  # fmt: skip
    assert member_arrears_list(as_of=dt.date(2026, 5, 1)) == []
    assert AuditEvent.objects.filter(object_id=str(right.pk), note="payroll file replaced").count() == 1


def test_it_keeps_unknown_and_retired_members_for_the_reconciliation(accountant: Any) -> None:
    admin = administration_make()
    retired = member_make(administration=admin)
    member_status_change(actor=None, member=retired, status=MemberStatus.RETIRED, valid_from=dt.date(2026, 1, 1))
    data = csv_bytes([("99999", "2026-03", "5000", "50", "15", "125", "125"),
                      (retired.matricule, "2026-03", "5000", "50", "15", "125", "125")])  # fmt: skip
    file = import_file(accountant, admin, data)
    unknown = PayrollLine.objects.get(file=file, matricule="99999")
    assert unknown.member_id is None and unknown.expected_complementary is None
    line = PayrollLine.objects.get(file=file, member=retired)
    # Retired: the pensioners' schedule, 2.5 % x 5,000 = 125.00 and no employer share.
    assert (line.member_status, line.expected_amo_employee, line.expected_amo_employer) == (
        "retired", Decimal("125.00"), Decimal("0.00"))  # fmt: skip


class Killed(BaseException):
    """Stands for the worker process dying in the middle of a chunk."""


def _outcome(file: PayrollFile) -> list[tuple[Any, ...]]:
    return list(
        LedgerEntry.objects.filter(payroll_file=file).order_by("member__matricule", "kind")
        .values_list("member__matricule", "kind", "complementary", "amo_employee", "active")
    )  # fmt: skip


def test_it_ends_a_killed_and_resumed_import_like_an_uninterrupted_one(
    accountant: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(imports, "CHUNK", 3)
    admin, other = administration_make("MEN"), administration_make("MSA")
    salaries = ["2000", "3000", "9000", "12000", "20000", "4100", "6600", "7300"]
    rows, rows_other = [], []
    for salary in salaries:
        for target, admin_ in ((rows, admin), (rows_other, other)):
            m = member_make(administration=admin_, base_salary=Decimal(salary))
            target.append((m.matricule, "2026-03", salary, "36", "15", "70", "70"))
    straight = import_file(accountant, other, csv_bytes(rows_other))
    outcome = upload(accountant, admin, csv_bytes(rows))
    job = job_claim(worker="victim")
    assert job is not None
    job_run(job=job, worker="victim", max_chunks=1)  # the first 3 rows committed
    real = imports.rows_copy

    def write_then_die(*args: Any, **kwargs: Any) -> Any:
        real(*args, **kwargs)
        raise Killed

    with mock.patch.object(imports, "rows_copy", side_effect=write_then_die), pytest.raises(Killed):
        job_run(job=job, worker="victim")  # dies after staging rows 4-6, before the commit
    assert PayrollLine.objects.filter(file=outcome.file).count() == 3
    imports.reader_forget(outcome.file.pk)  # a new process: nothing of the dead one's reader
    Job.objects.filter(pk=job.pk).update(locked_until=dt.datetime(2000, 1, 1, tzinfo=dt.UTC))
    resumed = job_work(worker="rescuer")
    assert resumed is not None and resumed.state == JobState.DONE
    file = PayrollFile.objects.get(pk=outcome.file.pk)
    assert (file.state, file.rows, PayrollLine.objects.filter(file=file).count()) == (PayrollState.IMPORTED, 8, 8)
    # Same ledger as the file of the other administration imported without a stop (same salaries).
    shape = [(kind, c, amo, act) for _m, kind, c, amo, act in _outcome(file)]
    assert shape == [(kind, c, amo, act) for _m, kind, c, amo, act in _outcome(straight)]


def test_it_lists_the_differences_of_a_file_by_kind(accountant: Any) -> None:
    from contributions.selectors_payroll import reconciliation_differences, reconciliation_totals

    admin, other = administration_make("MEN"), administration_make("MSA")
    good = member_make(administration=admin, base_salary=Decimal("9000"))
    short = member_make(administration=admin, base_salary=Decimal("2000"))
    missing = member_make(administration=admin, base_salary=Decimal("9000"))
    elsewhere = member_make(administration=other, base_salary=Decimal("9000"))
    dead = member_make(administration=admin, base_salary=Decimal("9000"))
    member_status_change(actor=None, member=dead, status=MemberStatus.DECEASED, valid_from=dt.date(2026, 2, 10))
    data = csv_bytes([
        (good.matricule, "2026-03", "9000", "50", "15", "225", "225"),
        (short.matricule, "2026-03", "2000", "36", "10", "50", "70"),  # death fund 10 of 15, AMO 50 of 70
        ("88888", "2026-03", "3000", "50", "15", "75", "75"),
        (elsewhere.matricule, "2026-03", "9000", "50", "15", "225", "225"),
        (dead.matricule, "2026-03", "9000", "50", "15", "225", "225"),
    ])  # fmt: skip
    file = import_file(accountant, admin, data)
    found = [(d.kind, d.matricule, d.fund, d.expected, d.withheld) for d in reconciliation_differences(file=file)]
    assert found == [
        ("unknown", "88888", "", None, Decimal("215.00")),
        ("wrong_amount", short.matricule, "death_fund", Decimal("15.00"), Decimal("10.00")),
        ("wrong_amount", short.matricule, "amo_employee", Decimal("70.00"), Decimal("50.00")),
        ("missing", missing.matricule, "complementary", Decimal("50.00"), None),
        ("missing", missing.matricule, "death_fund", Decimal("15.00"), None),
        ("missing", missing.matricule, "amo_employee", Decimal("225.00"), None),
        ("missing", missing.matricule, "amo_employer", Decimal("225.00"), None),
        ("not_active", dead.matricule, "", None, Decimal("515.00")),
        ("other_administration", elsewhere.matricule, "", None, Decimal("515.00")),
    ]
    totals = {t.kind: (t.count, t.expected, t.withheld) for t in reconciliation_totals(file=file)}
    # Wrong amounts: 15 + 70 = 85.00 expected, 10 + 50 = 60.00 withheld; missing: 515.00 expected.
    assert totals == {
        "unknown": (1, Decimal("0.00"), Decimal("215.00")),
        "not_active": (1, Decimal("0.00"), Decimal("515.00")),
        "other_administration": (1, Decimal("0.00"), Decimal("515.00")),
        "wrong_amount": (2, Decimal("85.00"), Decimal("60.00")),
        "missing": (1, Decimal("515.00"), Decimal("0.00")),
    }


def test_it_imports_an_xlsx_file_with_number_and_date_cells(accountant: Any) -> None:
    from mutuelle.spreadsheet import workbook_new, xlsx_bytes

    admin = administration_make()
    a = member_make(administration=admin, base_salary=Decimal("2000"))
    wb = workbook_new()
    ws = wb.create_sheet("paie")
    ws.append(["Matricule", "Période", "Salaire", "complementary", "death_fund", "amo_employee", "amo_employer"])
    ws.append([int(a.matricule), dt.date(2026, 3, 1), 2000, 36, 15, 70.0, 70])
    file = import_file(accountant, admin, xlsx_bytes(wb))
    assert (file.state, file.kind, file.rows) == (PayrollState.IMPORTED, "xlsx", 1)
    # 2,000: 36.00 + 15.00 + 70.00 + 70.00 = 191.00 due and withheld.
    assert _ledger(a) == [("due", "payroll", Decimal("191.00"), True), ("paid", "payroll", Decimal("191.00"), True)]
