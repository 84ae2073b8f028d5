from __future__ import annotations

from django.apps import AppConfig


class ReferentialsConfig(AppConfig):
    name = "referentials"
