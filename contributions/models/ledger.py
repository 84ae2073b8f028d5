"""Contribution schedules, payroll deduction files and lines, receipts, the ledger."""

from __future__ import annotations

__all__: list[str] = []
