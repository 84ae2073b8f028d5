"""What the what-if replay reads: a period's stored lines in chunks of whole members, and each
chunk's members, covers and long-term illnesses.

A chunk is a range of member ids (after, upto] of about CHUNK_LINES lines, found on the
claimline_member_care index. Everything else about the chunk is read by that range on each
table's member index (no list of ids sent): the lines with their file's columns (one query,
amounts already in centimes), the members' region and administration, their beneficiaries'
covers (status history, suspensions) and long-term illnesses. Each statement runs on a cursor
the caller gives, of the default connection or of the read-ahead's (`reports.whatif_ahead`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, NamedTuple

from django.db import connection

import engine as e
from claims.models import ClaimFile, ClaimLine, ClaimStatus, LineStatus
from claims.services.engine_io import DECIDED, ald_member_range
from members.eligibility import AldPeriod, CoverRows, CoversOnDemand, member_range_cover_rows
from members.models import Member
from mutuelle.bulk import is_postgresql

CHUNK_LINES = 20_000
STATUSES = (*DECIDED, ClaimStatus.REJECTED)
LAST = 2**62  # the upper end of the last chunk's range
_L, _F, _M = ClaimLine._meta.db_table, ClaimFile._meta.db_table, Member._meta.db_table
_STATUS_IN = ", ".join(f"'{s}'" for s in STATUSES)  # our own constants, not input
_WHERE = (
    f"l.care_date BETWEEN %s AND %s AND l.status <> '{LineStatus.PENDING}' AND f.status IN ({_STATUS_IN}) "
    "AND f.adjudicated_at IS NOT NULL"
)
# A row: the engine line's thirteen fields in their order (`whatif_replay._line_of`), 13 the file
# id, then on the FIRST row of each file only (NULL on the others: a file has four to five lines,
# and six columns fewer to parse and free on each of the rest made the fetch a third shorter) the
# file's 14 beneficiary, 15 filed on, 16 channel, 17 provider INPE, 18 sector, 19 provider kind;
# and 20 the member id. The window's order is the query's, so "first" is the first row read.
_ORDER = "l.member_id, f.beneficiary_id, f.adjudicated_at, l.file_id, l.position, l.id"
_FILE_COLUMNS = (
    "f.beneficiary_id",
    "f.filed_on",
    "f.channel",
    "f.provider_inpe",
    "f.provider_sector",
    "f.provider_kind",
)
_ON_FIRST = ", ".join(f"CASE WHEN lag(l.file_id, 1, 0) OVER w <> l.file_id THEN {c} END" for c in _FILE_COLUMNS)
LINES_SQL = (
    "SELECT CAST(l.id AS text), l.kind, l.care_date, CAST(ROUND(l.paid * 100) AS bigint), l.code, "  # noqa: S608
    "CAST(ROUND(l.coefficient * 100) AS bigint), l.quantity, CAST(ROUND(l.unit_price * 100) AS bigint), NULL, "
    # the engine's own values, not recomputed per line in Python: no ALD is None, a prior approval "AP"
    "NULLIF(l.ald, ''), CASE WHEN CAST(l.reasons AS text) LIKE %s THEN NULL ELSE 'AP' END, "
    f"l.treatment_end, l.inpatient, l.file_id, {_ON_FIRST}, l.member_id "
    f"FROM {_L} l JOIN {_F} f ON f.id = l.file_id "
    # The files' own member range too (a line carries its file's member): without it the planner
    # hash-joins the chunk's lines with a scan of every file, once per chunk.
    f"WHERE l.member_id > %s AND l.member_id <= %s AND f.member_id > %s AND f.member_id <= %s AND {_WHERE} "
    f"WINDOW w AS (ORDER BY {_ORDER}) ORDER BY {_ORDER}"
)
# The member id ending a chunk of about `n` lines: an index-only walk of claimline_member_care.
_BOUNDARY_SQL = (
    f"SELECT member_id FROM {_L} WHERE member_id > %s AND care_date BETWEEN %s AND %s "  # noqa: S608
    "ORDER BY member_id LIMIT 1 OFFSET %s"
)
# The chunk's members' region and administration: a range of primary keys, read once per chunk
# rather than joined to each of their lines (a member has some 15 lines a year).
_MEMBERS_SQL = f"SELECT id, region, administration_id FROM {_M} WHERE id > %s AND id <= %s"  # noqa: S608
_COUNT_SQL = f"SELECT count(*) FROM {_L} l JOIN {_F} f ON f.id = l.file_id WHERE {_WHERE}"  # noqa: S608
_NO_APPROVAL = f"%{e.reasons.PRIOR_APPROVAL_REQUIRED}%"


@dataclass(frozen=True, slots=True)
class Period:
    start: date
    end: date  # inclusive


class Around(NamedTuple):
    """A chunk's members as read beside its lines: their groupings, covers and long-term illnesses."""

    members: dict[int, tuple[str, str]]  # member id -> (region, administration id as text)
    covers: CoverRows
    ald: dict[int, tuple[AldPeriod, ...]]


@dataclass(frozen=True, slots=True)
class ChunkRead:
    """One chunk as read: its lines, its members' groupings, its beneficiaries' covers, its last member."""

    rows: list[tuple[Any, ...]]
    members: dict[int, tuple[str, str]]
    covers: dict[int, Any]
    last: int


def first_chunk_size(size: int) -> int:
    """The read-ahead's first chunk, read before anything can overlap it: a tenth, so that deciding
    starts at once and the next (whole) chunk is computed meanwhile."""
    return max(1, size // 10)


def lines_count(period: Period) -> int:
    with connection.cursor() as cur:
        cur.execute(_COUNT_SQL, [period.start, period.end])
        return int(cur.fetchone()[0])


def boundary_fetch(cur: Any, *, after: int, period: Period, size: int) -> int:
    """The member id ending the chunk after `after`, LAST for the last chunk."""
    cur.execute(_BOUNDARY_SQL, [after, period.start, period.end, size - 1])
    row = cur.fetchone()
    return int(row[0]) if row else LAST


def lines_params(*, after: int, upto: int, period: Period) -> list[Any]:
    """LINES_SQL's parameters for the members in (after, upto]."""
    return [_NO_APPROVAL, after, upto, after, upto, period.start, period.end]


def around_fetch(cur: Any, *, after: int, upto: int) -> Around:
    """The members in (after, upto]: groupings, cover rows, long-term illnesses (four small queries)."""
    cur.execute(_MEMBERS_SQL, [after, upto])
    members = {mid: (region or "", str(admin)) for mid, region, admin in cur.fetchall()}
    return Around(
        members, member_range_cover_rows(cur, after=after, upto=upto), ald_member_range(cur, after=after, upto=upto)
    )


def _day(v: Any) -> Any:
    return date.fromisoformat(v) if isinstance(v, str) else v


def _rows(after: int, upto: int, period: Period) -> list[tuple[Any, ...]]:
    with connection.cursor() as cur:
        cur.execute(LINES_SQL, lines_params(after=after, upto=upto, period=period))
        rows = cur.fetchall()
    if is_postgresql():
        return rows
    return [(*r[:2], _day(r[2]), *r[3:11], _day(r[11]), bool(r[12]), r[13], r[14], _day(r[15]), *r[16:]) for r in rows]


def chunk_read(*, after: int, period: Period, size: int = CHUNK_LINES) -> ChunkRead | None:
    """Everything the members after `after` (about `size` lines) need, read in turn on the default
    connection; None at the end."""
    with connection.cursor() as cur:
        upto = boundary_fetch(cur, after=after, period=period, size=size)
        around = around_fetch(cur, after=after, upto=upto)
    return chunk_of(upto=upto, rows=_rows(after, upto, period), around=around)


def chunk_of(*, upto: int, rows: list[tuple[Any, ...]], around: Around) -> ChunkRead | None:
    """The chunk of the members up to `upto` whose lines are `rows`; None past the last.

    A range whose lines are all undecided has no rows but is not the end: the next starts after it."""
    if not rows and upto == LAST:
        return None
    last = int(rows[-1][20]) if upto == LAST else upto
    return ChunkRead(rows=rows, members=around.members, covers=CoversOnDemand(around.covers, around.ald), last=last)
