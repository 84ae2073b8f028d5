"""Former home of the bulk insert helpers, now in `mutuelle.bulk` (one module for vendor-specific SQL).

Kept only as names for the payment services until they import `mutuelle.bulk` themselves.
"""

from __future__ import annotations

from mutuelle.bulk import insert_select_sql, rows_copy

insert_rows = rows_copy

__all__ = ["insert_rows", "insert_select_sql"]
