"""What an uploaded scan really is: a PDF that a PDF library opens, or an image that Pillow decodes.

The first bytes only say what a file claims to be; a polyglot (`%PDF-` then HTML, a PNG
signature then SVG) passes a magic-byte check and runs as a page if it is ever served as what
its name says. So the whole file is parsed by the library of its claimed type, and the type we
keep (and serve it as) is the detected one, never the uploader's name or Content-Type header.
"""

from __future__ import annotations

import io
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from django.http import FileResponse
from django.utils.translation import gettext_lazy as _

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
# A4 at 600 dpi is about 35 megapixels; more than this is a decompression bomb, not a scan.
MAX_IMAGE_PIXELS = 40_000_000

PDF, JPEG, PNG = "application/pdf", "image/jpeg", "image/png"
EXTENSIONS = {PDF: ".pdf", JPEG: ".jpg", PNG: ".png"}
_SIGNATURES = ((b"%PDF-", PDF), (b"\xff\xd8\xff", JPEG), (b"\x89PNG\r\n\x1a\n", PNG))
_PILLOW_FORMAT = {JPEG: "JPEG", PNG: "PNG"}

MSG_BAD_TYPE = _("Only PDF, JPEG and PNG files are accepted (checked on the content, not the name).")
MSG_BAD_PDF = _("This PDF cannot be read: it is damaged or is not really a PDF.")
MSG_ENCRYPTED_PDF = _("This PDF is protected by a password: attach it without the protection.")
MSG_BAD_IMAGE = _("This image cannot be read: it is damaged or is not really a JPEG or PNG.")
MSG_HUGE_IMAGE = _("This image is too large to be a scan: at most 40 megapixels.")

# Characters that make a shown name lie about itself (bidi overrides turn "gpj.exe" into
# "exe.jpg" on screen) or break a line: dropped from the name kept for display.
_INVISIBLE = re.compile(r"[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


class UploadRefused(ValueError):
    """The file is not a PDF, JPEG or PNG that its library reads; `message` says why (translated)."""

    def __init__(self, message: object) -> None:
        super().__init__(str(message))
        self.message = message


@dataclass(frozen=True, slots=True)
class VerifiedUpload:
    content_type: str

    @property
    def extension(self) -> str:
        return EXTENSIONS[self.content_type]


def _pdf_verify(data: bytes) -> None:
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(data))
        encrypted = reader.is_encrypted
        pages = 0 if encrypted else len(reader.pages)
    except Exception:  # pypdf raises many kinds (PdfReadError, ValueError, KeyError...) on bad input
        raise UploadRefused(MSG_BAD_PDF) from None
    if encrypted:
        # Staff could not open it, and its pages cannot be checked.
        raise UploadRefused(MSG_ENCRYPTED_PDF)
    if pages < 1:
        raise UploadRefused(MSG_BAD_PDF)


def _image_verify(data: bytes, content_type: str) -> None:
    from PIL import Image

    try:
        # Pillow refuses beyond twice its own MAX_IMAGE_PIXELS at open (DecompressionBombError);
        # our lower limit is checked on the header, before a single pixel is decoded.
        with Image.open(io.BytesIO(data)) as probe:
            if probe.format != _PILLOW_FORMAT[content_type]:
                raise UploadRefused(MSG_BAD_TYPE)
            width, height = probe.size
            if width * height > MAX_IMAGE_PIXELS:
                raise UploadRefused(MSG_HUGE_IMAGE)
            probe.verify()
        # verify() leaves the image unusable and does not decode the pixels: decode them all.
        with Image.open(io.BytesIO(data)) as image:
            image.load()
    except UploadRefused:
        raise
    except Image.DecompressionBombError:
        raise UploadRefused(MSG_HUGE_IMAGE) from None
    except Exception:  # truncated data, bad chunks or CRCs, not an image at all
        raise UploadRefused(MSG_BAD_IMAGE) from None


def upload_verify(data: bytes) -> VerifiedUpload:
    """The detected type of `data`, after the whole file was read by its library; UploadRefused otherwise."""
    content_type = next((ct for signature, ct in _SIGNATURES if data.startswith(signature)), None)
    if content_type is None:
        raise UploadRefused(MSG_BAD_TYPE)
    if content_type == PDF:
        _pdf_verify(data)
    else:
        _image_verify(data, content_type)
    return VerifiedUpload(content_type)


def display_name(name: str | None, *, extension: str, fallback: str = "scan") -> str:
    """The uploader's file name for display only: no folders, no control or bidi characters, the detected extension.

    It is never used as a path or as the download name, and templates escape it.
    """
    base = re.split(r"[\\/]", name or "")[-1]
    base = _INVISIBLE.sub("", base)
    base = "".join(" " if unicodedata.category(c).startswith("C") else c for c in base)
    stem = " ".join(base.split()).rsplit(".", 1)[0].strip(" .")
    return (stem or fallback)[:100] + extension


# A stored scan is never a page: even if a browser were talked into rendering it, it may run
# nothing, load nothing and is sandboxed (no script, no same-origin access).
FILE_CSP = "default-src 'none'; sandbox"


def served_file(path: Path, *, content_type: str, download_name: str) -> FileResponse:
    """A stored upload as a download: its detected type only (anything else as bytes), our name, no sniffing."""
    known = content_type if content_type in EXTENSIONS else "application/octet-stream"
    name = f"{download_name}{EXTENSIONS.get(known, '.bin')}"
    response = FileResponse(path.open("rb"), content_type=known, as_attachment=True, filename=name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = FILE_CSP
    return response
