"""The reports jobs (discovered by jobs.registry): the dashboard's summary refresh."""

from __future__ import annotations

from reports import (
    summary,  # noqa: F401  (registers reports_refresh)
    whatif_jobs,  # noqa: F401  (registers whatif: H8)
)
