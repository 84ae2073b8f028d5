"""`manage.py check --deploy` fails when a production server runs on the public development key."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error

# The fixed key of mutuelle/settings.py, public in the repository.
DEV_KEY_PREFIX = "dev-insecure-mutuelle-key-"


def dev_key_check(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    if settings.DEBUG:
        return []
    if getattr(settings, "MUTUELLE_INSECURE_DEV_KEY", False) or str(settings.SECRET_KEY).startswith(DEV_KEY_PREFIX):
        return [
            Error(
                "The server runs with the public development SECRET_KEY.",
                hint="Set SECRET_KEY to a long random value and remove MUTUELLE_INSECURE_DEV_KEY.",
                id="mutuelle.E001",
            )
        ]
    return []
