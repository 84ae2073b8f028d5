from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def _sms_to_tmp(settings, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Notifications of the demo never write to the real SMS log."""
    settings.SMS_FILE_PATH = tmp_path / "sms.log"
