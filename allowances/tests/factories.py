"""Rows for the allowances tests: a family on the member's file, scans, the demo-like request."""

from __future__ import annotations

import datetime as dt
import io
import itertools
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from allowances.models import AllowanceRequest, AllowanceType
from members.models import Administration, Beneficiary, Member
from members.rib import rib_key

_seq = itertools.count(1)


def rib_make(n: int, bank: str = "007") -> str:
    first22 = f"{bank}640{n:016d}"
    return first22 + rib_key(first22)


def family_make(*, joined_on: dt.date = dt.date(2010, 3, 1), children: int = 2, spouse: bool = True,
                marital_status: str = "married", status: str = "deceased") -> Member:  # fmt: skip
    """A member with a spouse and children in school (certificates valid until mid-2027)."""
    n = next(_seq)
    admin, _ = Administration.objects.get_or_create(code="MEN", defaults={"name_fr": "Éducation", "name_ar": "التربية"})
    member = Member.objects.create(
        membership_number=f"{610000 + n}", matricule=f"{710000 + n}", cin=f"BK{200000 + n}", administration=admin,
        joined_on=joined_on, marital_status=marital_status, status=status, status_since=dt.date(2026, 5, 1),
        rib=rib_make(n), phone="0612345678", email=f"m{n}@example.ma",
    )  # fmt: skip
    people: list[tuple[str, str, str, dt.date, Any]] = [("self", "Ahmed", "أحمد", dt.date(1970, 4, 2), None)]
    if spouse:
        people.append(("spouse", "Khadija", "خديجة", dt.date(1974, 6, 9), None))
    for i in range(children):
        people.append(("child", f"Child{i}", "طفل", dt.date(2008 + i, 2, 1), dt.date(2027, 7, 1)))
    for rank, (relation, first, first_ar, birth, school) in enumerate(people):
        Beneficiary.objects.create(
            member=member, relation=relation, rank=rank, card_number=f"{610000 + n}-{rank:02d}", last_name="Alaoui",
            first_name=first, last_name_ar="العلوي", first_name_ar=first_ar, birth_date=birth,
            sex="M" if relation == "self" else "F", school_certificate_until=school,
        )  # fmt: skip
    return member


def pdf_bytes() -> bytes:
    from pypdf import PdfWriter

    out = io.BytesIO()
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.write(out)
    return out.getvalue()


def scan(name: str = "scan.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_bytes(), content_type="application/pdf")


def documents_complete(*, actor: Any, request: AllowanceRequest) -> None:
    """Every document of the checklist, and a RIB for each payee that has none."""
    from allowances.checklist import request_checklist
    from allowances.services.requests import allowance_document_add

    for item in request_checklist(request):
        if not item.present:
            allowance_document_add(actor=actor, request=request, kind=item.kind, upload=scan(), share_id=item.share_id)


def death_type() -> AllowanceType:
    return AllowanceType.objects.get(code="death")
