"""Job handlers by kind.

A handler runs ONE chunk: `handler(*, job, cursor) -> ChunkResult`. It is called inside the
worker's transaction, which also stores the returned cursor, so the chunk's writes and the
progress land together or not at all. Apps declare handlers in a `job_handlers` module,
discovered when the worker starts.
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


Handler = Callable[..., ChunkResult]
_HANDLERS: dict[str, Handler] = {}
_discovered = {"done": False}


def job_handler(kind: str) -> Callable[[Handler], Handler]:
    def register(func: Handler) -> Handler:
        _HANDLERS[kind] = func
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


def handler_kinds() -> list[str]:
    handlers_discover()
    return sorted(_HANDLERS)


def run_chunk(job: Job, cursor: Any) -> ChunkResult:
    return handler_for(job.kind)(job=job, cursor=cursor)
