"""Set-based writes of the line decisions of adjudication: one statement (or one COPY) per call.

PostgreSQL: decisions are COPYed into a temporary table and applied with one UPDATE ... FROM.
Other databases (SQLite for the test suite): bulk_update. Amounts arrive as integer centimes.
The files' new state, transitions and audit events are the transition service's
(claims.services.transitions), which the adjudication calls right after.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, NamedTuple

from django.db import connection

from claims.models import ClaimLine
from claims.services.engine_io import to_decimal
from engine import Trace
from engine.trace import trace_packed
from mutuelle import bulk


class LineOut(NamedTuple):
    """One line's decision, amounts in centimes."""

    id: int
    status: str
    basis: int
    amo: int
    complementary: int
    remainder: int
    reasons: tuple[str, ...]
    trace: tuple[Trace, ...]


AMOUNTS = ("basis", "amo", "complementary", "remainder")
LINE_COLUMNS = [("id", "bigint"), ("status", "varchar(10)"), *((c, "bigint") for c in AMOUNTS), ("reasons", "jsonb"),
                ("trace", "jsonb")]  # fmt: skip


def lines_copy_text(rows: Sequence[LineOut] | Sequence[tuple[Any, ...]]) -> str:
    """The line decisions in COPY's text format, one row each (the bench's COPY floor writes the same)."""
    js = bulk.CopyJson()  # the reasons and traces repeat from line to line
    return "".join(
        f"{i}\t{s}\t{b}\t{a}\t{c}\t{r}\t{js(rs)}\t{js(tr, lambda tr=tr: [trace_packed(t) for t in tr])}\n"
        for i, s, b, a, c, r, rs, tr in rows
    )


def _line_values(r: LineOut) -> tuple[Any, ...]:
    reasons = json.dumps(list(r.reasons), ensure_ascii=False)
    trace = json.dumps([trace_packed(t) for t in r.trace], ensure_ascii=False)
    return (r.id, r.status, r.basis, r.amo, r.complementary, r.remainder, reasons, trace)


def store_lines(rows: Sequence[LineOut]) -> None:
    """Each line's decision, amounts, reasons and trace."""
    if not rows:
        return
    if not bulk.is_postgresql():
        objs = [ClaimLine(id=r.id, status=r.status, basis=to_decimal(r.basis), amo=to_decimal(r.amo),
                          complementary=to_decimal(r.complementary), remainder=to_decimal(r.remainder),
                          reasons=list(r.reasons), trace=[trace_packed(t) for t in r.trace]) for r in rows]  # fmt: skip
        ClaimLine.objects.bulk_update(objs, ["status", *AMOUNTS, "reasons", "trace"], batch_size=500)
        return
    source = bulk.update_source(name="_adj_lines", columns=LINE_COLUMNS, rows=rows, values=_line_values,
                                copy=lambda: lines_copy_text(rows))  # fmt: skip
    sets = ", ".join(f"{c} = s.{c}::numeric / 100" for c in AMOUNTS)
    with connection.cursor() as cur:
        cur.execute(
            f"UPDATE {ClaimLine._meta.db_table} t SET status = s.status, {sets}, reasons = s.reasons, "  # noqa: S608
            f"trace = s.trace FROM {source.sql} s WHERE t.id = s.id AND t.id BETWEEN %s AND %s",
            [*source.params, *bulk.id_span([r.id for r in rows])],
        )
