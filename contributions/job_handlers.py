"""The contributions jobs: the payroll import (see contributions.imports), the rights review, the dues."""

from __future__ import annotations

from typing import Any

from contributions import (
    arrears_jobs,  # noqa: F401  (registers the rights review)
    dues_jobs,  # noqa: F401  (registers the monthly dues of members off payroll)
)
from contributions.imports import payroll_chunk_validate
from contributions.models import PayrollFile
from contributions.services_payroll import MANAGE, PAYROLL_IMPORT, payroll_file_apply
from jobs.models import Job
from jobs.registry import ChunkResult, job_handler


@job_handler(PAYROLL_IMPORT, view_perm=MANAGE)
def payroll_import_chunk(*, job: Job, cursor: Any) -> ChunkResult:
    """Cursor: {"rows": data rows checked and staged so far, "read": True once the file is read}."""
    state = dict(cursor or {"rows": 0, "read": False})
    file = PayrollFile.objects.get(pk=job.params["file_id"])
    total = job.params.get("rows_estimate")
    if not state["read"]:
        rows, done = payroll_chunk_validate(file=file, position=int(state["rows"]))
        state = {"rows": rows, "read": done}
        shown = max(total or 0, rows + (0 if done else 1))
        return ChunkResult(cursor=state, done=False, items_done=rows, items_total=shown if total else None)
    payroll_file_apply(file=file)
    file.refresh_from_db()
    progress = {"state": file.state, "rows": file.rows, "errors": file.error_count, "file_id": file.pk}
    return ChunkResult(cursor=state, done=True, progress=progress, items_done=state["rows"], items_total=state["rows"])
