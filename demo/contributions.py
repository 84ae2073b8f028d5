"""Demo contributions: payroll files of one administration, members off payroll with receipts,
and a few members in arrears (for the notice -> suspension -> restoration walkthrough).

Deterministic and idempotent: the same files are generated for the same months, and a file sent
twice changes nothing (same content hash). The walkthrough's administration is the one with most members; the demo
member's (`adherent`) own administration, if another, gets plain files (all paid up).

- six monthly files (the six months before this one), run through the import job here; four
  members of the administration are missing from every file (six unpaid months each);
- the file of two months ago is sent wrong first (AMO employee share withheld at 2 %), then
  corrected: the earlier one stays, superseded;
- last month's file keeps differences to list: a few wrong death-fund amounts, one unknown
  matricule, and one retired member still on the payroll;
- two members off payroll (one on leave, one seconded), their dues posted from the schedule; the
  first paid up by two receipts (counter and transfer), the second three months behind.
"""

from __future__ import annotations

import datetime as dt
import io
import random
from decimal import Decimal

from django.db.models import Count

from accounts.models import User
from contributions.models import OffPayroll, OffPayrollReason, PayrollFile, Receipt
from contributions.rules import month_next, month_start
from contributions.selectors import quote_compute
from contributions.selectors_ledger import months_outstanding
from contributions.services_payroll import PAYROLL_IMPORT, payroll_file_upload
from contributions.services_receipts import ReceiptMonth, contribution_dues_post, off_payroll_record, receipt_record
from jobs.services import job_work
from members.models import Administration, Member, MemberStatus

MONTHS = 6
HEADER = "matricule;period;base_salary;complementary;death_fund;amo_employee;amo_employer"


def _months(today: dt.date) -> list[dt.date]:
    first = month_start(today)
    months = []
    for _ in range(MONTHS):
        first = month_start(first - dt.timedelta(days=1))
        months.append(first)
    return sorted(months)


def _administration() -> Administration | None:
    # The walkthrough needs a dozen members on one payroll: the largest administration has them (the
    # demo member's own administration may be a small one; it gets plain files of its own below).
    return Administration.objects.annotate(n=Count("members")).order_by("-n", "code").first()


def _staff(admin: Administration, months: list[dt.date]) -> list[Member]:
    return list(
        Member.objects.filter(administration=admin, joined_on__lt=months[0], base_salary__isnull=False)
        .exclude(user__username="adherent")
        .filter(status__in=[MemberStatus.ACTIVE, MemberStatus.RETIRED])
        .order_by("matricule")
    )


def _own_administration_files(actor: User, walkthrough: Administration, months: list[dt.date], seed: int) -> None:
    """The demo member's administration, if another one: every month's file, all its members paid up."""
    own = Member.objects.filter(user__username="adherent").select_related("administration").first()
    if own is None or own.administration_id == walkthrough.pk:
        return
    people = sorted([*_staff(own.administration, months), own], key=lambda m: m.matricule)
    for month in months:
        data = _file(people, month, wrong_amo=False, differences=False, seed=seed)
        _send(actor, own.administration, month, data, f"paie-{month:%Y-%m}.csv")


def _file(members: list[Member], month: dt.date, *, wrong_amo: bool, differences: bool, seed: int) -> bytes:
    rng = random.Random(f"{seed}:payroll:{month}")
    rows = [HEADER]
    for i, m in enumerate(members):
        status = "retired" if m.status == MemberStatus.RETIRED else "active"
        q = quote_compute(base=m.base_salary or Decimal(0), status=status, month=month)
        amo = (m.base_salary or Decimal(0)) * Decimal("0.02") if wrong_amo else q.amo_employee
        death = q.death_fund
        if differences and i % 17 == 3:
            death = Decimal("10.00")
        employer = q.amo_employee if status == "retired" else q.amo_employer  # an employer still paying a pensioner
        rows.append(f"{m.matricule};{month:%Y-%m};{m.base_salary};{q.complementary};{death};{amo:.2f};{employer}")
    if differences:
        rows.append(f"{rng.randint(900000, 999999)};{month:%Y-%m};6500.00;50.00;15.00;162.50;162.50")
    return ("\n".join(rows) + "\n").encode()


def _send(actor: User, admin: Administration, month: dt.date, data: bytes, name: str) -> None:
    payroll_file_upload(actor=actor, administration=admin, period=month, file=io.BytesIO(data), filename=name)
    while job_work(worker="demo", kinds=[PAYROLL_IMPORT]) is not None:
        pass


def demo_contributions_ensure(*, seed: int, today: dt.date | None = None) -> int:
    """Create the demo payroll files, periods off payroll and receipts; return the files imported now."""
    today = today or dt.date.today()
    admin = _administration()
    actor = User.objects.filter(username="comptable").first()
    if admin is None or actor is None:
        return 0
    months = _months(today)
    staff = _staff(admin, months)
    if len(staff) < 12:
        return 0
    active = [m for m in staff if m.status == MemberStatus.ACTIVE]
    in_arrears = active[:4]  # missing from every file: six months unpaid
    off = active[4:6]
    retired_on_payroll = [m for m in staff if m.status == MemberStatus.RETIRED][:1]
    on_payroll = [m for m in staff if m.status == MemberStatus.ACTIVE and m not in in_arrears and m not in off]
    own = list(Member.objects.filter(user__username="adherent", administration=admin))
    before = PayrollFile.objects.filter(state__in=["imported", "superseded"]).count()
    for month in months:
        last = month == months[-1]
        people = sorted(on_payroll + own + (retired_on_payroll if last else []), key=lambda m: m.matricule)
        if month == months[-2]:
            wrong = _file(people, month, wrong_amo=True, differences=False, seed=seed)
            _send(actor, admin, month, wrong, f"paie-{month:%Y-%m}.csv")
            _send(actor, admin, month, _file(people, month, wrong_amo=False, differences=False, seed=seed),
                  f"paie-{month:%Y-%m}-corrige.csv")  # fmt: skip
        else:
            _send(actor, admin, month, _file(people, month, wrong_amo=False, differences=last, seed=seed),
                  f"paie-{month:%Y-%m}.csv")  # fmt: skip
    _off_payroll(actor, off, months, today)
    _own_administration_files(actor, admin, months, seed)
    return PayrollFile.objects.filter(state__in=["imported", "superseded"]).count() - before


def _off_payroll(actor: User, members: list[Member], months: list[dt.date], today: dt.date) -> None:
    leave, seconded = members
    for member, reason, base in ((leave, OffPayrollReason.LEAVE, Decimal("4000.00")),
                                 (seconded, OffPayrollReason.SECONDMENT, Decimal("6500.00"))):  # fmt: skip
        if not OffPayroll.objects.filter(member=member).exists():
            off_payroll_record(actor=actor, member=member, reason=reason, valid_from=months[0], valid_to=None,
                               monthly_base=base)  # fmt: skip
    for month in months:
        contribution_dues_post(month=month)
    if not Receipt.objects.filter(member=leave).exists():
        owed = months_outstanding(member=leave, months=months)
        paid_on = month_next(months[-1]) + dt.timedelta(days=2)
        receipt_record(actor=User.objects.filter(username="reception").first() or actor, member=leave,
                       channel="counter", reference="", received_on=min(paid_on, today),
                       months=[ReceiptMonth(o.month, **o.amounts) for o in owed[:3]])  # fmt: skip
        receipt_record(actor=actor, member=leave, channel="transfer", reference="VIR-DEMO-0001",
                       received_on=min(paid_on, today),
                       months=[ReceiptMonth(o.month, **o.amounts) for o in owed[3:]])  # fmt: skip
    if not Receipt.objects.filter(member=seconded).exists():
        owed = months_outstanding(member=seconded, months=months[:3])
        receipt_record(actor=actor, member=seconded, channel="transfer", reference="VIR-DEMO-0002",
                       received_on=min(months[3] + dt.timedelta(days=5), today),
                       months=[ReceiptMonth(o.month, **o.amounts) for o in owed])  # fmt: skip
