"""Arrears notices and the steps from notice to suspension and restoration."""

from __future__ import annotations

__all__: list[str] = []
