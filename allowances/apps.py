from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AllowancesConfig(AppConfig):
    name = "allowances"
    verbose_name = _("Solidarity allowances")
