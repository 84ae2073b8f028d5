from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm, PasswordResetForm, SetPasswordForm
from django.utils.translation import gettext_lazy as _

from accounts.services import login_failure_record, login_failures_clear, login_is_throttled
from mutuelle.forms import BootstrapMixin

TOO_MANY_ATTEMPTS = _("Too many failed attempts. Please wait a few minutes before trying again.")


class ThrottledAuthenticationForm(BootstrapMixin, AuthenticationForm):
    def _client_ip(self) -> str | None:
        return self.request.META.get("REMOTE_ADDR") if self.request else None

    def clean(self) -> dict[str, Any]:
        username = self.data.get("username", "") or ""
        ip = self._client_ip()
        if login_is_throttled(username=username, ip_address=ip):
            raise forms.ValidationError(TOO_MANY_ATTEMPTS, code="throttled")
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            login_failure_record(username=username, ip_address=ip)
            raise
        login_failures_clear(username=username)
        return cleaned


class BootstrapPasswordChangeForm(BootstrapMixin, PasswordChangeForm):
    pass


class BootstrapPasswordResetForm(BootstrapMixin, PasswordResetForm):
    pass


class BootstrapSetPasswordForm(BootstrapMixin, SetPasswordForm):
    pass
