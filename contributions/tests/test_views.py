"""The contributions pages: who sees what, upload and reconciliation, receipts, ledger, PDFs."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from audit.models import AuditEvent
from contributions.models import PayrollFile, Receipt
from contributions.services_receipts import contribution_dues_post, off_payroll_record
from contributions.tests.factories import administration_make, member_make
from contributions.tests.payroll_helpers import csv_bytes, import_file
from jobs.services import job_work

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _private(settings: Any, tmp_path: Path) -> None:
    settings.PRIVATE_MEDIA_ROOT = tmp_path


def _file_with_differences(make_user: Any) -> PayrollFile:
    admin = administration_make()
    short = member_make(administration=admin, base_salary=Decimal("2000"))
    member_make(administration=admin, base_salary=Decimal("9000"))  # missing from the file
    data = csv_bytes(
        [(short.matricule, "2026-03", "2000", "36", "10", "50", "70"), ("99999", "2026-03", "1", "1", "1", "1", "1")]
    )
    return import_file(make_user(Role.ACCOUNTANT), admin, data)


def test_it_uploads_a_file_through_the_page_and_shows_its_progress(client_for: Any) -> None:
    client = client_for(Role.ACCOUNTANT)
    admin = administration_make()
    member = member_make(administration=admin, base_salary=Decimal("9000"))
    upload = SimpleUploadedFile(
        "paie.csv", csv_bytes([(member.matricule, "2026-03", "9000", "50", "15", "225", "225")])
    )
    response = client.post(
        reverse("contributions:payroll_upload"), {"administration": admin.pk, "period": "2026-03", "file": upload}
    )
    assert response.status_code == 302 and "?job=" in response["Location"]
    assert client.get(response["Location"]).status_code == 200
    while job_work(worker="t") is not None:
        pass
    file = PayrollFile.objects.get()
    page = client.get(reverse("contributions:payroll_detail", args=[file.pk]))
    assert page.status_code == 200 and 'id="reconciliation-totals"' in page.content.decode()


def test_it_refuses_a_bad_month_with_a_422(client_for: Any) -> None:
    client = client_for(Role.ACCOUNTANT)
    admin = administration_make()
    upload = SimpleUploadedFile("paie.csv", b"matricule;period;base_salary\n12345;2026-03;9000\n")
    response = client.post(
        reverse("contributions:payroll_upload"), {"administration": admin.pk, "period": "March", "file": upload}
    )
    assert response.status_code == 422 and not PayrollFile.objects.exists()


def test_it_lists_filters_and_exports_the_differences(client_for: Any, make_user: Any) -> None:
    file = _file_with_differences(make_user)
    client = client_for(Role.AUDITOR)
    url = reverse("contributions:payroll_detail", args=[file.pk])
    body = client.get(url, {"kind": "wrong_amount"}).content.decode()
    assert body.count("<tr><td>") >= 2 and "99999" not in body.split('id="differences"')[1]
    assert "99999" in client.get(url, {"kind": "unknown"}).content.decode().split('id="differences"')[1]
    csv = client.post(reverse("contributions:payroll_export", args=[file.pk, "csv"]), {"kind": ""})
    assert csv.status_code == 200 and csv.content.decode().startswith("kind;line;matricule")
    xlsx = client.post(reverse("contributions:payroll_export", args=[file.pk, "xlsx"]), {"kind": "missing"})
    assert xlsx.content[:2] == b"PK"
    assert AuditEvent.objects.filter(action="export", object_type="contributions.payrollfile").count() == 2


def test_it_keeps_the_pages_from_roles_without_the_permission(client_for: Any, make_user: Any) -> None:
    file = _file_with_differences(make_user)
    client = client_for(Role.CLAIMS_OFFICER)
    assert client.get(reverse("contributions:payroll_list")).status_code == 403
    assert client.get(reverse("contributions:payroll_detail", args=[file.pk])).status_code == 403
    auditor = client_for(Role.AUDITOR)
    assert auditor.post(reverse("contributions:payroll_upload"), {}).status_code == 403


def test_it_records_a_counter_payment_from_the_ledger_page(client_for: Any, make_user: Any) -> None:
    member = member_make(base_salary=Decimal("9000"))
    off_payroll_record(actor=make_user(Role.ACCOUNTANT), member=member, reason="leave", valid_from=dt.date(2026, 1, 1),
                       valid_to=None, monthly_base=Decimal("4000"))  # fmt: skip
    contribution_dues_post(month=dt.date(2026, 1, 1))
    client = client_for(Role.RECEPTION)
    page = client.get(reverse("contributions:ledger", args=[member.pk]))
    assert page.status_code == 200 and 'id="receipt-form"' in page.content.decode()
    assert 'id="off-payroll-form"' not in page.content.decode()  # reception records payments, not periods
    today = timezone.localdate().isoformat()
    form = {
        "channel": "counter",
        "reference": "",
        "received_on": today,
        "first_month": "2026-01",
        "last_month": "2026-02",
    }
    response = client.post(reverse("contributions:receipt_create", args=[member.pk]), form)
    assert response.status_code == 302
    receipt = Receipt.objects.get()
    assert receipt.amount == Decimal("530.00")  # 2 x 265.00 (see test_receipts)
    pdf = client.get(reverse("contributions:receipt_pdf", args=[receipt.number]) + "?lang=ar")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    again = client.post(reverse("contributions:receipt_create", args=[member.pk]), form)
    assert again.status_code == 422 and Receipt.objects.count() == 1  # nothing is owed any more


def test_it_shows_the_member_its_own_ledger_and_statement(client: Any, make_user: Any) -> None:
    user = make_user(Role.MEMBER)
    member = member_make(base_salary=Decimal("9000"))
    member.user = user
    member.save(update_fields=["user"])
    client.force_login(user)
    assert client.get(reverse("contributions:mine")).status_code == 200
    pdf = client.get(reverse("contributions:my_statement_pdf") + "?lang=fr")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    other = member_make()
    assert client.get(reverse("contributions:ledger", args=[other.pk])).status_code == 403
    assert client.get(reverse("contributions:statement_pdf", args=[other.pk])).status_code == 403


def test_it_lists_the_schedules_with_their_history(client_for: Any) -> None:
    body = client_for(Role.AUDITOR).get(reverse("contributions:schedules")).content.decode()
    assert body.count("<tr><td>") == 8
    assert client_for(Role.RECEPTION).get(reverse("contributions:schedules")).status_code == 403


def test_it_adds_the_contributions_section_to_the_member_page(client_for: Any) -> None:
    member = member_make(base_salary=Decimal("9000"))
    body = client_for(Role.ACCOUNTANT).get(reverse("members:detail", args=[member.pk])).content.decode()
    assert 'id="member-contributions"' in body


def test_it_lets_the_administrator_change_a_schedule_from_a_date(client_for: Any) -> None:
    from contributions.models import ContributionSchedule

    client = client_for(Role.ADMINISTRATOR)
    assert client.get("/admin/contributions/contributionschedule/").status_code == 200
    row = ContributionSchedule.objects.get(fund="death_fund", member_status="active")
    form = {"fund": row.fund, "member_status": row.member_status, "rate": "1.200", "floor": "0.00", "cap": "18.00",
            "source": "board decision", "valid_to": "", "apply_from": "2027-01-01"}  # fmt: skip
    response = client.post(f"/admin/contributions/contributionschedule/{row.pk}/change/", form)
    assert response.status_code == 302, response.content.decode()[:2000]
    rows = ContributionSchedule.objects.filter(fund="death_fund", member_status="active").order_by("valid_from")
    assert [(r.rate, r.cap, r.valid_to) for r in rows] == [
        (Decimal("1.000"), Decimal("15.00"), dt.date(2027, 1, 1)), (Decimal("1.200"), Decimal("18.00"), None)
    ]  # fmt: skip
