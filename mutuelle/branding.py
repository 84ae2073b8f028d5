"""The mutual's own name (settings MUTUAL_NAME_AR / MUTUAL_NAME_FR), in the reader's language, and
the Django admin branded with it rather than "Django administration".

The name is the legal name the mutual writes in each script, not a translation: Arabic pages get
the Arabic name, French and English ones the French name.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.admin import AdminSite
from django.utils.functional import lazy
from django.utils.text import format_lazy
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


def mutual_name() -> str:
    """The mutual's name for the active language."""
    if (get_language() or "").split("-")[0] == "ar":
        return str(settings.MUTUAL_NAME_AR)
    return str(settings.MUTUAL_NAME_FR)


# Evaluated when shown, in the language of the request that shows it.
MUTUAL_NAME = lazy(mutual_name, str)()
ADMIN_SITE_HEADER = format_lazy(_("{name} — administration"), name=MUTUAL_NAME)
ADMIN_INDEX_TITLE = _("Administration of the mutual: users, referentials and records")


def admin_site_brand(site: AdminSite) -> None:
    """The header, the browser title and the index title of the admin (called once, by the URLs)."""
    site.site_header = ADMIN_SITE_HEADER
    site.site_title = ADMIN_SITE_HEADER
    site.index_title = ADMIN_INDEX_TITLE
