"""Attachments, the reimbursement statement, the certificate of affiliation and its public check."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from claims.models import Certificate
from claims.selectors import attachment_get, certificate_of_day, claim_get
from claims.services.documents import (
    MSG_NO_FILE,
    DocumentError,
    attachment_add,
    certificate_context,
    certificate_issue,
    certificate_may_issue,
    pdf_render,
    statement_context,
)
from claims.uploads import served_file
from members.selectors import member_get
from mutuelle.i18n import request_language

DOC_LANGUAGES = ("ar", "fr")  # statements and certificates exist in Arabic and French


@login_required
@require_POST
def attachment_upload(request: HttpRequest, pk: int) -> HttpResponse:
    claim = claim_get(user=request.user, pk=pk)
    if not request.user.has_perm("claims.add_claimfile"):
        raise Http404
    upload = request.FILES.get("upload")
    try:
        if upload is None:
            raise DocumentError(MSG_NO_FILE)
        attachment_add(actor=request.user, claim=claim, kind=request.POST.get("kind", ""), upload=upload)
    except DocumentError as exc:
        messages.error(request, exc.message)
    return redirect("claims:detail", pk=pk)


@login_required
def attachment_download(request: HttpRequest, pk: int) -> FileResponse:
    att = attachment_get(user=request.user, pk=pk)
    path = settings.PRIVATE_MEDIA_ROOT / att.path
    if not path.is_file():
        raise Http404
    # Our name and the detected type only: the uploader's name (shown on the page) never reaches a header.
    return served_file(path, content_type=att.content_type, download_name=f"{att.file.number}-{att.kind}-{att.pk}")


@login_required
def statement_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The member's reimbursement statement (décompte), in Arabic or French."""
    claim = claim_get(user=request.user, pk=pk)
    if not claim.has_statement:
        raise Http404
    lang = request_language(request, request.POST.get("lang"), allowed=DOC_LANGUAGES)
    context = statement_context(user=request.user, claim=claim, language=lang)
    pdf = pdf_render("claims/statement_pdf.html", context, language=lang)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="decompte-{claim.number}-{lang}.pdf"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def certificate_pdf(request: HttpRequest, member_pk: int) -> HttpResponse:
    """A certificate of affiliation with a verification code and its QR code.

    POST issues today's certificate (the same one all day) and returns it; GET only reads: today's
    certificate if there is one, else a page with the button that issues it.
    """
    member = member_get(user=request.user, pk=member_pk)
    may_issue = certificate_may_issue(user=request.user, member=member)
    if request.method == "POST":
        if not may_issue:
            raise PermissionDenied
        cert = certificate_issue(actor=request.user, member=member)
    else:
        cert = certificate_of_day(member=member, on=timezone.localdate())
        if cert is None:
            return render(request, "claims/certificate_issue.html", {"member": member, "may_issue": may_issue})
    url = request.build_absolute_uri(reverse("verify", args=[cert.code]))
    lang = request_language(request, request.POST.get("lang"), allowed=DOC_LANGUAGES)
    context = certificate_context(certificate=cert, member=member, url=url)
    pdf = pdf_render("claims/certificate_pdf.html", context, language=lang)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="attestation-{cert.code}-{lang}.pdf"'
    return response


def verify(request: HttpRequest, code: str) -> HttpResponse:
    """Public: confirms a certificate with the holder's name and its validity, nothing more."""
    cert = Certificate.objects.filter(code=code.strip().upper()[:16]).select_related("member").first()
    holder = cert.member.beneficiaries.filter(rank=0).first() if cert else None
    valid = cert is not None and cert.valid_until >= timezone.localdate()
    return render(request, "claims/verify.html", {"cert": cert, "holder": holder, "valid": valid},
                  status=200 if cert else 404)  # fmt: skip
