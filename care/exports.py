"""The application list as XLSX, through mutuelle.spreadsheet (formula-safe). No medical field."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from care.models import Application
from mutuelle.spreadsheet import workbook_new, xlsx_bytes


def applications_xlsx(applications: QuerySet[Application]) -> bytes:
    wb = workbook_new()
    ws = wb.create_sheet(_("Applications"))
    ws.append([_("Child"), _("Card number"), _("Centre"), _("Programme"), _("State"), _("Filed at"),
               _("Channel"), _("Partner mutual")])  # fmt: skip
    for app in applications.iterator(chunk_size=500):
        ws.append([
            app.child_name,
            app.beneficiary.card_number if app.beneficiary is not None else "",
            app.centre.name,
            app.programme.name,
            app.get_state_display(),
            timezone.localdate(app.filed_at),
            app.get_channel_display(),
            app.partner_mutual_name,
        ])  # fmt: skip
    return xlsx_bytes(wb)
