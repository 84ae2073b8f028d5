from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import (
    AuthenticationForm,
    PasswordChangeForm,
    PasswordResetForm,
    SetPasswordForm,
    UsernameField,
)
from django.utils.translation import gettext_lazy as _

from accounts.services import login_attempt_clear, login_attempt_start
from accounts.usernames import username_normalize
from mutuelle.forms import BootstrapMixin

TOO_MANY_ATTEMPTS = _("Too many failed attempts. Please wait a few minutes before trying again.")


class NormalisedUsernameField(UsernameField):
    def to_python(self, value: Any) -> Any:
        # The spelling the lockout counts: " agent", "agent " and fullwidth "ａｇｅｎｔ" are one account.
        value = super().to_python(value)
        return username_normalize(value) if isinstance(value, str) else value


class ThrottledAuthenticationForm(BootstrapMixin, AuthenticationForm):
    username = NormalisedUsernameField(widget=forms.TextInput(attrs={"autofocus": True}))

    def _client_ip(self) -> str | None:
        return self.request.META.get("REMOTE_ADDR") if self.request else None

    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username")
        if not username:
            return super().clean()  # nothing typed: no account to count against
        if not login_attempt_start(username=username, ip_address=self._client_ip()):
            raise forms.ValidationError(TOO_MANY_ATTEMPTS, code="throttled")
        cleaned = super().clean()  # a wrong password raises here and the attempt stays counted
        login_attempt_clear(username=username)
        return cleaned


class BootstrapPasswordChangeForm(BootstrapMixin, PasswordChangeForm):
    pass


class BootstrapPasswordResetForm(BootstrapMixin, PasswordResetForm):
    pass


class BootstrapSetPasswordForm(BootstrapMixin, SetPasswordForm):
    pass
