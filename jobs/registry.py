"""Job handlers by kind.

A handler runs ONE chunk: `handler(*, job, cursor) -> ChunkResult`. It is called inside the
worker's transaction, which also stores the returned cursor, so the chunk's writes and the
progress land together or not at all. Apps declare handlers in a `job_handlers` module,
discovered when the worker starts. A handler declares the permission that lets a user follow
its jobs' progress (None: only users with `jobs.view_job`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.utils.module_loading import autodiscover_modules

if TYPE_CHECKING:
    from jobs.models import Job


@dataclass(frozen=True, slots=True)
class ChunkResult:
    cursor: Any
    done: bool
    progress: dict[str, Any] = field(default_factory=dict)
    # The progress bar's counters; None leaves the stored value as it is.
    items_done: int | None = None
    items_total: int | None = None


Handler = Callable[..., ChunkResult]
_HANDLERS: dict[str, Handler] = {}
_VIEW_PERMS: dict[str, str] = {}
_discovered = {"done": False}


def job_handler(kind: str, *, view_perm: str | None = None) -> Callable[[Handler], Handler]:
    def register(func: Handler) -> Handler:
        _HANDLERS[kind] = func
        if view_perm:
            _VIEW_PERMS[kind] = view_perm
        return func

    return register


def handler_for(kind: str) -> Handler:
    handlers_discover()
    try:
        return _HANDLERS[kind]
    except KeyError:
        raise LookupError(f"no job handler for kind {kind!r}") from None


def handlers_discover() -> None:
    if not _discovered["done"]:
        autodiscover_modules("job_handlers")
        _discovered["done"] = True


def view_perm_for(kind: str) -> str:
    """The permission that lets a user follow a job of this kind."""
    handlers_discover()
    return _VIEW_PERMS.get(kind, "jobs.view_job")


def handler_kinds() -> list[str]:
    handlers_discover()
    return sorted(_HANDLERS)


def run_chunk(job: Job, cursor: Any) -> ChunkResult:
    return handler_for(job.kind)(job=job, cursor=cursor)
