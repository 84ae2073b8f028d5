from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """Synthetic data for `make run`/`manage.py demo`, made through the real services. Above every
    other app: it imports them all and nothing imports it."""

    name = "demo"
    verbose_name = _("Demo data")
