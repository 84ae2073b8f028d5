"""Invariant: whatever hand moves are asked, every accepted one leaves a week that keeps the rules (checked by a
validator written here, independent of the solver's), and a refused one changes nothing."""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from care.models import GroupClass, TimetableEntry
from care.services_week import TimetableError, timetable_entry_move
from care.tests.test_week import generated
from care.tests.test_week_builders import coordinator_of, small_centre_make

pytestmark = pytest.mark.django_db


def broken_rules(entries: list[TimetableEntry], busy_child: set[tuple[int, int]]) -> list[str]:
    """Double bookings, a child in a group class (`busy_child`: its (day, slot)s), two sessions of a therapy
    a day, two therapists for one child's therapy, a room or therapist serving another therapy."""
    out: list[str] = []
    taken: Counter[tuple[str, int, int, int]] = Counter()
    for e in entries:
        if e.start + e.length > 16:
            out.append(f"{e.pk} past the day")
        for k in range(e.start, e.start + e.length):
            for who, key in (("child", e.enrolment_id), ("therapist", e.therapist_id), ("room", e.room_id)):
                taken[(who, key, e.day, k)] += 1
            if (e.day, k) in busy_child:
                out.append(f"{e.pk} in a group class")
        if not e.room.therapies.filter(pk=e.therapy_id).exists():
            out.append(f"{e.pk} room")
        if not e.therapist.therapies.filter(pk=e.therapy_id).exists():
            out.append(f"{e.pk} therapist's therapy")
    out += [f"{who} {key} twice on {day}/{slot}" for (who, key, day, slot), n in taken.items() if n > 1]
    per_day = Counter((e.enrolment_id, e.therapy_id, e.day) for e in entries)
    out += [f"two of a therapy on a day {k}" for k, n in per_day.items() if n > 1]
    therapists: dict[tuple[int, int], set[int]] = {}
    for e in entries:
        therapists.setdefault((e.enrolment_id, e.therapy_id), set()).add(e.therapist_id)
    out += [f"therapists changed {k}" for k, v in therapists.items() if len(v) > 1]
    return out


MOVES = st.lists(
    st.tuples(st.integers(0, 20), st.integers(0, 4), st.integers(0, 15), st.booleans()), min_size=1, max_size=12
)


@settings(max_examples=6, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(moves=MOVES)
def test_it_keeps_the_week_valid_through_any_sequence_of_hand_moves(moves: list[tuple[int, int, int, bool]]) -> None:
    built = small_centre_make(children=3)
    GroupClass.objects.create(programme=built.programme, name="Atelier", day=1, start_slot=0, length=4)
    busy = {(1, k) for k in range(4)}
    tt = generated(built)
    user = coordinator_of(built.centre)
    other = {built.therapists["T1"].pk: built.therapists["T2"], built.therapists["T2"].pk: built.therapists["T1"]}
    for index, day, start, swap in moves:
        rows = list(tt.entries.select_related("therapy", "room", "therapist").order_by("pk"))
        entry = rows[index % len(rows)]
        before = [(e.pk, e.day, e.start, e.therapist_id, e.room_id) for e in rows]
        try:
            timetable_entry_move(actor=user, entry=entry, day=day, start=start,
                                 therapist=other[entry.therapist_id] if swap else None)  # fmt: skip
        except TimetableError as exc:
            assert exc.reasons
            after = [(e.pk, e.day, e.start, e.therapist_id, e.room_id) for e in tt.entries.order_by("pk")]
            assert after == before
            event("a move refused")
        else:
            event("a move accepted")
        rows = list(tt.entries.select_related("therapy", "room", "therapist").order_by("pk"))
        assert broken_rules(rows, busy) == []
