"""The mutual's letterhead and signature on every PDF it issues (claims.services.documents.pdf_render).

The letterhead is bilingual whatever the document's language, as Moroccan administrations print
theirs: the French name and address on the left, the Arabic ones on the right, the logo between.
The address, telephone, website, the place documents are made at and the signatory come from
settings (MUTUAL_*; demo values by default), since they change with the mutual, not with the code.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings

LOGO = "img/logo.svg"  # under static/


@dataclass(frozen=True)
class Signatory:
    title: str
    name: str
    place: str  # the city documents are made at ("Fait à Rabat")


@dataclass(frozen=True)
class Letterhead:
    name_ar: str
    name_fr: str
    address_ar: str
    address_fr: str
    phone: str
    website: str
    email: str
    logo: str  # a data: URI, so that the PDF renderer fetches nothing
    signatory: Signatory


@lru_cache(maxsize=1)
def _logo_uri() -> str:
    data = (settings.BASE_DIR / "static" / LOGO).read_bytes()
    return "data:image/svg+xml;base64," + base64.b64encode(data).decode()


def letterhead(language: str) -> Letterhead:
    """The letterhead, and the signatory named in the document's language (Arabic, else French)."""
    arabic = language.split("-")[0] == "ar"
    suffix = "AR" if arabic else "FR"
    return Letterhead(
        name_ar=str(settings.MUTUAL_NAME_AR),
        name_fr=str(settings.MUTUAL_NAME_FR),
        address_ar=str(settings.MUTUAL_ADDRESS_AR),
        address_fr=str(settings.MUTUAL_ADDRESS_FR),
        phone=str(settings.MUTUAL_PHONE),
        website=str(settings.MUTUAL_WEBSITE),
        email=str(settings.MUTUAL_EMAIL),
        logo=_logo_uri(),
        signatory=Signatory(
            title=str(getattr(settings, f"MUTUAL_SIGNATORY_TITLE_{suffix}")),
            name=str(getattr(settings, f"MUTUAL_SIGNATORY_NAME_{suffix}")),
            place=str(getattr(settings, f"MUTUAL_CITY_{suffix}")),
        ),
    )
