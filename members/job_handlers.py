"""Job handlers of the members app (discovered by jobs.registry)."""

from __future__ import annotations

from jobs.registry import job_handler
from members.outbox import NOTIFY, notifications_send

# Member notifications: no view permission of their own (only `jobs.view_job`, in the admin).
job_handler(NOTIFY)(notifications_send)
