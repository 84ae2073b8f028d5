"""Due dates: a target in calendar days, or in working days (Monday to Friday, public holidays
excepted: the caller passes them from the referentials' holiday table). Pure functions: no
database, no clock.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

SATURDAY = 5  # date.weekday(): Monday is 0


def is_working_day(day: dt.date, holidays: Collection[dt.date] = ()) -> bool:
    return day.weekday() < SATURDAY and day not in holidays


def due_date(*, filed_on: dt.date, days: int, working_days: bool, holidays: Collection[dt.date] = ()) -> dt.date:
    """The day the answer is due: `days` after `filed_on` (the filing day does not count).

    In working days, only working days are counted, so a complaint filed on a Friday with 5
    working days is due the next Friday, and one filed on a Saturday the Friday after.
    """
    if days < 1:
        raise ValueError("a target time is at least one day")
    if not working_days:
        return filed_on + dt.timedelta(days=days)
    day, left = filed_on, days
    while left:
        day += dt.timedelta(days=1)
        if is_working_day(day, holidays):
            left -= 1
    return day


def days_late(*, due_on: dt.date, today: dt.date) -> int:
    """Calendar days past the due date (0 while it is not passed: due today is in time)."""
    return max((today - due_on).days, 0)
