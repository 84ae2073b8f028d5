from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CareConfig(AppConfig):
    name = "care"
    verbose_name = _("Amal care centres")

    def ready(self) -> None:
        from care.notify import care_notify_register

        care_notify_register()
