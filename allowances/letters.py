"""The decision letter to one beneficiary, as a PDF in Arabic or French (claims' WeasyPrint renderer)."""

from __future__ import annotations

from django.utils import timezone, translation

from allowances.models import AllowanceRequest, AllowanceShare, RefusalReason, RequestState
from claims.services.documents import pdf_render
from mutuelle.branding import mutual_name


def decision_letter_pdf(*, request: AllowanceRequest, share: AllowanceShare, language: str) -> bytes:
    refused = request.state == RequestState.REFUSED
    context = {
        "r": request,
        "share": share,
        "refused": refused,
        "reason": RefusalReason(request.refusal_reason).label if refused else "",
        "appeal_days": request.rate.appeal_days if request.rate else 60,
        "deductions": list(request.deduction_lines.all()),
        "today": timezone.localdate(),
    }
    with translation.override(language):
        context["mutual"] = mutual_name()  # the legal name in the letter's script (letterhead)
    return pdf_render("allowances/letter_pdf.html", context, language=language)
