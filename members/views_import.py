"""The roster import page: upload form, then the errors table or the summary."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from members import imports
from members.imports_read import COLUMNS, REQUIRED_COLUMNS, SELF_REQUIRED
from members.models import Administration
from mutuelle.forms import BootstrapMixin


class RosterImportForm(BootstrapMixin, forms.Form):
    administration = forms.ModelChoiceField(label=_("Administration"), queryset=Administration.objects.all())
    file = forms.FileField(
        label=_("Roster file"), help_text=_("CSV (UTF-8, separated by ; or ,) or Excel .xlsx, one row per person.")
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > imports.max_bytes():
            raise forms.ValidationError(imports.FILE_TOO_LARGE % {"mb": max(1, imports.max_bytes() // (1024 * 1024))})
        return upload


@login_required
@permission_required("members.import_roster", raise_exception=True)
def roster_import(request: HttpRequest) -> HttpResponse:
    form = RosterImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        result = imports.roster_import(
            actor=request.user,
            administration=form.cleaned_data["administration"],
            file=upload.file,
            filename=upload.name,
        )
    context = {
        "form": form,
        "result": result,
        "columns": COLUMNS,
        "required": REQUIRED_COLUMNS,
        "self_required": SELF_REQUIRED,
    }
    return render(request, "members/import.html", context, status=422 if result and not result.ok else 200)
