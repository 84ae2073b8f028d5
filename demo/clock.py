"""The demo's clock: the moment the real services stamp on what they write while the demo loads.

The demo's story happens before its fixed "today" (demo.members.TODAY), but the services stamp
their rows with `timezone.now()`: state changes, their audit rows, batch stamps, paid dates. Rather
than re-dating rows afterwards (the audit trail is append-only, and rightly so), the demo sets the
clock before each step, so every row a service writes, audit rows included, carries the moment of
the story. Threading a `now` argument through every claims and payments service would say the
same thing through a dozen signatures; the clock says it once, here.

Only the demo command uses it (never a view, a job or a test of a service), in one thread, and
the real clock is back when the block ends, even on an error.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.utils import timezone

_real_now: Callable[[], dt.datetime] = timezone.now


def demo_moment(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    """`day` at hour:minute in the mutual's time zone (settings.TIME_ZONE), aware."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)), timezone.get_default_timezone())


@contextmanager
def demo_clock_at(moment: dt.datetime) -> Iterator[None]:
    """`timezone.now()` (hence `localdate()` and auto_now fields) is `moment` inside the block."""
    if timezone.is_naive(moment):
        raise ValueError("the demo's clock takes an aware datetime")
    previous = timezone.now
    timezone.now = lambda: moment  # type: ignore[assignment]  # module attribute, read at each call
    try:
        yield
    finally:
        timezone.now = previous  # type: ignore[assignment]


def real_now() -> dt.datetime:
    """The wall clock, even inside a demo_clock_at block."""
    return _real_now()
