"""Form helpers shared by the apps."""

from __future__ import annotations

from typing import Any

from django import forms


class BootstrapMixin:
    """Give every widget Bootstrap's classes, so templates render fields uniformly."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]
        for field in self.fields.values():  # type: ignore[attr-defined]
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()

    def full_clean(self) -> None:
        # Marked here, not in __init__: validating there would run before a subclass sets its
        # choices (a form whose choices depend on the user).
        super().full_clean()  # type: ignore[misc]
        for name in self._errors or {}:  # type: ignore[attr-defined]
            field = self.fields.get(name)  # type: ignore[attr-defined]
            if field is not None and "is-invalid" not in field.widget.attrs.get("class", ""):
                field.widget.attrs["class"] = f"{field.widget.attrs.get('class', '')} is-invalid".strip()
