"""The statement (décompte) and the certificate (attestation) as official documents: the mutual's
letterhead, the membership number, the beneficiaries covered, labelled codes, the payment method and
date, a signature block; rendered to PDF and to PNG (poppler's pdftotext and pdftoppm) in Arabic
and in French. DOCUMENTS_PNG_DIR=<dir> keeps the PNGs to look at them (docs/screenshots/)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from accounts.roles import Role
from claims.models import ClaimFile, ClaimLine
from claims.tests.factories import member_make
from members.models import Beneficiary, Member
from referentials.models import Medicine

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not shutil.which("pdftoppm") or not shutil.which("pdftotext"), reason="needs poppler-utils"),
]
RIB = "011780000012345678901296"


def _family() -> Member:
    member = member_make()
    Member.objects.filter(pk=member.pk).update(rib=RIB)
    member.refresh_from_db()
    Beneficiary.objects.create(
        member=member, relation="spouse", rank=1, card_number=f"{member.membership_number}-01", last_name="Filali",
        first_name="Hind", last_name_ar="الفيلالي", first_name_ar="هند", birth_date=date(1984, 2, 3), sex="F",
    )  # fmt: skip
    return member


def _statement_file(member: Member) -> ClaimFile:
    """CONS-G 150.00 and Clamoxyl 1 g 59.90, approved: the README's counter file, amounts as the engine
    gives them (150.00: AMO 80 % of the 80.00 TNR = 64.00, +10.00; 59.90: 70 % and 20 % of the 38.00
    generic = 26.60 and 7.60)."""
    clamoxyl = Medicine.objects.filter(name="Clamoxyl 1 g").values_list("code", flat=True).first() or "CLAMOXYL"
    spouse = member.beneficiaries.get(rank=1)
    claim = ClaimFile.objects.create(
        number="P260115-0A1B2C3D", member=member, beneficiary=spouse, filed_on=date(2026, 1, 15), channel="counter",
        provider_sector="private", provider_kind="doctor", provider_inpe="123456789", status="approved",
        paid="209.90", basis="118.00", amo="90.60", complementary="17.60", remainder="101.70",
    )  # fmt: skip
    for i, (kind, code, paid, basis, amo, compl) in enumerate(
        [
            ("act", "CONS-G", "150.00", "80.00", "64.00", "10.00"),
            ("medicine", clamoxyl, "59.90", "38.00", "26.60", "7.60"),
        ]
    ):
        ClaimLine.objects.create(
            member_id=member.pk, file=claim, position=i, kind=kind, code=code, care_date=date(2026, 1, 15), paid=paid,
            basis=basis, amo=amo, complementary=compl, remainder=str(Decimal(paid) - Decimal(amo) - Decimal(compl)),
            status="accepted",
        )  # fmt: skip
    return claim


def _pages(pdf: bytes, tmp_path: Path, name: str) -> tuple[str, list[Path]]:
    """The PDF's text (pdftotext, layout order) and its pages as PNG images (pdftoppm, 80 dpi)."""
    source = tmp_path / f"{name}.pdf"
    source.write_bytes(pdf)
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(source), "-"], check=True, capture_output=True).stdout
    subprocess.run(["pdftoppm", "-png", "-r", "80", str(source), str(tmp_path / name)], check=True)
    pngs = sorted(tmp_path.glob(f"{name}*.png"))
    keep = os.environ.get("DOCUMENTS_PNG_DIR")
    if keep:  # a sharper first page to look at (docs/screenshots/documents-*.png)
        subprocess.run(
            ["pdftoppm", "-png", "-r", "110", "-singlefile", str(source), f"{keep}/documents-{name}"], check=True
        )
    # pdftotext marks the direction of embedded runs (U+202A..U+202E): the words are what is read.
    return re.sub("[\u202a-\u202e\u2066-\u2069]", "", text.decode()), pngs


def _is_png(path: Path) -> bool:
    return path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and path.stat().st_size > 10_000


@pytest.mark.parametrize("language", ["ar", "fr"])
def test_it_issues_the_statement_with_the_letterhead_labels_payment_and_signature(
    client_for, language: str, tmp_path: Path
) -> None:
    member = _family()
    claim = _statement_file(member)
    client: Client = client_for(Role.CLAIMS_OFFICER)
    response = client.post(reverse("claims:statement", args=[claim.pk]), {"lang": language})
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    text, pngs = _pages(response.content, tmp_path, f"statement-{language}")
    assert len(pngs) == 1 and _is_png(pngs[0])
    flat = " ".join(text.split())
    assert settings.MUTUAL_NAME_FR in flat and settings.MUTUAL_PHONE.replace(" ", "") in text.replace(" ", "")
    assert member.membership_number in text and claim.number in text and "1296" in text
    assert settings.MUTUAL_SIGNATORY_NAME_FR in flat or settings.MUTUAL_SIGNATORY_NAME_AR in flat
    if language == "fr":
        assert "CONS-G" in flat and "Consultation de médecine générale" in flat and "Clamoxyl 1 g" in flat
        assert "Virement bancaire" in flat and "Fait à Rabat" in flat and "209,90" in text
    else:
        assert settings.MUTUAL_NAME_AR in flat  # the letterhead's name in Arabic script, shaped text extracted
        assert "استشارة الطب العام" in flat and "Clamoxyl 1 g" in flat and "209,90" in text


@pytest.mark.parametrize("language", ["ar", "fr"])
def test_it_issues_the_certificate_with_the_letterhead_and_the_beneficiaries_covered(
    client_for, language: str, tmp_path: Path
) -> None:
    member = _family()
    client: Client = client_for(Role.RECEPTION)
    response = client.post(reverse("claims:certificate", args=[member.pk]), {"lang": language})
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    text, pngs = _pages(response.content, tmp_path, f"certificate-{language}")
    assert len(pngs) == 1 and _is_png(pngs[0])
    flat = " ".join(text.split())
    assert settings.MUTUAL_NAME_FR in flat and member.membership_number in text
    assert f"{member.membership_number}-00" in text and f"{member.membership_number}-01" in text  # both covered
    if language == "fr":
        assert "Hind Filali" in flat and "Fait à Rabat" in flat
    else:
        assert settings.MUTUAL_NAME_AR in flat and "هند الفيلالي" in flat
