"""Scans are read whole by their library, stored and served under our name and detected type."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from accounts.roles import Role
from accounts.tests.test_translations import compiled_locale  # noqa: F401 (a fixture)
from claims.models import Attachment
from claims.tests.factories import CONSULTATION, file_make, member_make
from claims.tests.scans import JPEG, PDF, PNG, pdf_bytes, png_bytes
from claims.uploads import (
    FILE_CSP,
    MSG_BAD_IMAGE,
    MSG_BAD_PDF,
    MSG_BAD_TYPE,
    MSG_ENCRYPTED_PDF,
    MSG_HUGE_IMAGE,
    UploadRefused,
    display_name,
    upload_verify,
)

pytestmark = pytest.mark.django_db

SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(document.cookie)"/>'


def _huge_png(width: int, height: int) -> bytes:
    """A real 1x1 PNG whose header claims width x height (a decompression bomb's header, CRC fixed)."""
    data = bytearray(png_bytes((1, 1)))
    ihdr = bytearray(data[12:29])  # chunk type + 13 bytes of data
    ihdr[4:12] = struct.pack(">II", width, height)
    data[12:29] = ihdr
    data[29:33] = struct.pack(">I", zlib.crc32(bytes(ihdr)))
    return bytes(data)


@pytest.fixture(autouse=True)
def _scans_to_tmp(settings, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


def _stored_files() -> list[Path]:
    root = settings.PRIVATE_MEDIA_ROOT
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"%PDF-1.4<html><script>alert(document.cookie)</script></html>", MSG_BAD_PDF),
        (b"\x89PNG\r\n\x1a\n" + SVG, MSG_BAD_IMAGE),
        (b"\xff\xd8\xff\xe0<html><script>alert(1)</script></html>", MSG_BAD_IMAGE),
        (PNG[: len(PNG) // 2], MSG_BAD_IMAGE),  # truncated: the header is fine, the pixels are not
        (JPEG[:40], MSG_BAD_IMAGE),
        (SVG, MSG_BAD_TYPE),
        (b"<html><script>alert(1)</script></html>", MSG_BAD_TYPE),
        (pdf_bytes(password="secret"), MSG_ENCRYPTED_PDF),
        (_huge_png(7_000, 7_000), MSG_HUGE_IMAGE),  # above our limit, below Pillow's
        (_huge_png(20_000, 20_000), MSG_HUGE_IMAGE),  # above twice Pillow's: refused at open
    ],
    ids=[
        "pdf-html",
        "png-svg",
        "jpeg-html",
        "png-truncated",
        "jpeg-truncated",
        "svg",
        "html",
        "pdf-encrypted",
        "png-bomb",
        "png-huge-bomb",
    ],
)
def test_it_refuses_files_their_library_does_not_read(data: bytes, message: object) -> None:
    with pytest.raises(UploadRefused) as exc:
        upload_verify(data)
    assert exc.value.message == message


def test_it_accepts_real_pdf_jpeg_and_png() -> None:
    assert [upload_verify(d).content_type for d in (PDF, JPEG, PNG)] == ["application/pdf", "image/jpeg", "image/png"]
    assert [upload_verify(d).extension for d in (PDF, JPEG, PNG)] == [".pdf", ".jpg", ".png"]


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("evil.html", b"%PDF-1.4<html><script>alert(document.cookie)</script></html>"),
        ("img.svg", b"\x89PNG\r\n\x1a\n" + SVG),
    ],
)
def test_it_refuses_a_polyglot_at_the_counter_and_stores_nothing(client_for, name: str, data: bytes) -> None:
    client = client_for(Role.RECEPTION)
    claim = file_make(member=member_make(), lines=[CONSULTATION])
    upload = SimpleUploadedFile(name, data, content_type="application/pdf")
    response = client.post(reverse("claims:attachment_upload", args=[claim.pk]), {"kind": "invoice", "upload": upload},
                           follow=True)  # fmt: skip
    with translation.override(settings.LANGUAGE_CODE):
        assert escape(str(MSG_BAD_PDF if data.startswith(b"%PDF") else MSG_BAD_IMAGE)) in response.content.decode()
    assert not Attachment.objects.exists() and _stored_files() == []


def test_it_stores_and_serves_a_scan_under_our_name_and_its_detected_type(client_for) -> None:
    client = client_for(Role.RECEPTION)
    claim = file_make(member=member_make(), lines=[CONSULTATION])
    upload = SimpleUploadedFile("../../evil.html", PDF, content_type="text/html")
    client.post(reverse("claims:attachment_upload", args=[claim.pk]), {"kind": "invoice", "upload": upload})
    att = Attachment.objects.get()
    assert att.content_type == "application/pdf" and att.original_name == "evil.pdf"
    assert Path(att.path).suffix == ".pdf" and "evil" not in att.path
    assert (settings.PRIVATE_MEDIA_ROOT / att.path).read_bytes() == PDF
    response = client.get(reverse("claims:attachment", args=[att.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF  # type: ignore[attr-defined]
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{claim.number}-invoice-{att.pk}.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == FILE_CSP == "default-src 'none'; sandbox"


def test_it_serves_a_row_of_an_unknown_type_as_plain_bytes(client_for) -> None:
    client = client_for(Role.RECEPTION)
    claim = file_make(member=member_make(), lines=[CONSULTATION])
    target = settings.PRIVATE_MEDIA_ROOT / "claims/legacy.html"
    target.parent.mkdir(parents=True)
    target.write_bytes(b"<script>alert(1)</script>")
    att = Attachment.objects.create(
        file=claim, member_id=claim.member_id, kind="invoice", original_name="x.html",
        content_type="text/html", size=25, sha256="0", path="claims/legacy.html",
    )  # fmt: skip
    response = client.get(reverse("claims:attachment", args=[att.pk]))
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"] == f'attachment; filename="{claim.number}-invoice-{att.pk}.bin"'


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("feuille de soins.JPG", "feuille de soins.png"),
        ("C:\\Users\\me\\scan.pdf", "scan.png"),
        ("../../etc/passwd", "passwd.png"),
        ("\u202egnp.exe", "gnp.png"),  # a right-to-left override would show "exe.png" reversed
        ("a\x00b\r\nc.png", "a b c.png"),
        ("...", "scan.png"),
        ("", "scan.png"),
        ("ordonnance-وصفة.pdf", "ordonnance-وصفة.png"),
    ],
)
def test_it_keeps_a_clean_name_with_the_detected_extension_for_display(name: str, shown: str) -> None:
    assert display_name(name, extension=".png") == shown


@pytest.mark.usefixtures("compiled_locale")
def test_it_says_why_in_arabic_and_french() -> None:
    with pytest.raises(UploadRefused) as exc:
        upload_verify(b"\x89PNG\r\n\x1a\n" + SVG)
    with translation.override("ar"):
        assert str(exc.value.message) == "تتعذر قراءة هذه الصورة: إنها تالفة أو ليست صورة JPEG أو PNG فعلًا."
    with translation.override("fr"):
        assert str(exc.value.message).startswith("Cette image est illisible")
