"""The writes of the transition service (claims.services.transitions), each with its PostgreSQL
path (COPY, one UPDATE ... FROM a temporary table, data-modifying CTEs) and its portable one.

Only the transition service calls these: they trust it to have checked the moves.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from django.db import connection
from django.db.models import QuerySet

from audit.models import AuditAction
from audit.services import Sql, audit_events_select_sql
from claims.models import ClaimFile, ClaimStatus, ClaimTransition
from claims.services.bulk_store import AMOUNTS
from claims.services.engine_io import to_decimal
from mutuelle import bulk

if TYPE_CHECKING:
    from claims.services.transitions import Decided, Step


class Moved(NamedTuple):
    """A file moved by a selection (files_selected_move): what its audit event needs."""

    file_id: int
    member_id: int
    version: int


def decided_files_write(rows: Sequence[tuple[Decided, Step]], now: dt.datetime) -> None:
    """The engine's files: new status, version, totals and review reasons, stamped adjudicated now."""
    if not rows:
        return
    if not bulk.is_postgresql():
        objs = [ClaimFile(id=d.file_id, status=s.to, version=s.version, paid=to_decimal(d.paid),
                          basis=to_decimal(d.basis), amo=to_decimal(d.amo), complementary=to_decimal(d.complementary),
                          remainder=to_decimal(d.remainder), review_reasons=d.review_reasons, adjudicated_at=now,
                          updated_at=now) for d, s in rows]  # fmt: skip
        fields = ["status", "version", "paid", *AMOUNTS, "review_reasons", "adjudicated_at", "updated_at"]
        ClaimFile.objects.bulk_update(objs, fields, batch_size=500)
        return

    def copy() -> str:
        js = bulk.CopyJson()  # the review reasons repeat: mostly none
        return "".join(
            f"{d.file_id}\t{s.to}\t{s.version}\t{d.paid}\t{d.basis}\t{d.amo}\t{d.complementary}\t{d.remainder}\t"
            f"{js(tuple(d.review_reasons))}\n"
            for d, s in rows
        )

    def values(row: tuple[Decided, Step]) -> tuple[Any, ...]:
        d, s = row
        reasons = json.dumps(list(d.review_reasons), ensure_ascii=False)
        return (d.file_id, s.to, s.version, d.paid, d.basis, d.amo, d.complementary, d.remainder, reasons)

    source = bulk.update_source(name="_adj_files", columns=FILE_COLUMNS, rows=rows, values=values, copy=copy)
    ids = [d.file_id for d, _ in rows]
    sets = ", ".join(f"{c} = s.{c}::numeric / 100" for c in ("paid", *AMOUNTS))
    with connection.cursor() as cur:
        cur.execute(
            f"UPDATE {ClaimFile._meta.db_table} t SET status = s.status, version = s.version, {sets}, "  # noqa: S608
            "review_reasons = s.review_reasons, adjudicated_at = %s, updated_at = %s "
            f"FROM {source.sql} s WHERE t.id = s.id AND t.id BETWEEN %s AND %s",
            [now, now, *source.params, *bulk.id_span(ids)],
        )


FILE_COLUMNS = [("id", "bigint"), ("status", "varchar(16)"), ("version", "integer"), ("paid", "bigint"),
                *((c, "bigint") for c in AMOUNTS), ("review_reasons", "jsonb")]  # fmt: skip
_COLUMNS = ("file_id", "member_id", "from_status", "to_status", "version", "actor_id", "at", "reason", "note",
            "reason_code", "reason_params", "medical")  # fmt: skip


def transitions_write(
    steps: Sequence[Step], *, code: str, params: dict[str, Any], actor_id: int | None, now: dt.datetime
) -> None:
    """One ClaimTransition per step; `medical` when it leaves medical review. A coded reason is stored
    as its code and parameters only (rendered when shown); `reason` is a step's own words."""
    review = ClaimStatus.MEDICAL_REVIEW
    if not bulk.is_postgresql():
        ClaimTransition.objects.bulk_create(
            [ClaimTransition(file_id=s.file_id, member_id=s.member_id, from_status=s.frm, to_status=s.to,
                             version=s.version, actor_id=actor_id, at=now, reason=s.reason[:200], note=s.note,
                             reason_code=code, reason_params=params, medical=s.frm == review)
             for s in steps],
            batch_size=2000,
        )  # fmt: skip
        return
    esc = bulk.copy_escape
    head = f"\t{bulk.COPY_NULL if actor_id is None else actor_id}\t{now.isoformat()}\t"
    tail = f"\t{esc(code)}\t{esc(json.dumps(params, ensure_ascii=False))}\t"
    text = "".join(
        f"{s.file_id}\t{s.member_id}\t{s.frm}\t{s.to}\t{s.version}{head}{esc(s.reason[:200])}\t{esc(s.note)}"
        f"{tail}{'t' if s.frm == review else 'f'}\n"
        for s in steps
    )
    bulk.copy_text(f"COPY {ClaimTransition._meta.db_table} ({', '.join(_COLUMNS)}) FROM STDIN", text)


# What a selection's move leaves in the caller's temporary table, for its next statement.
SELECTED_COLUMNS = (
    "id bigint, number text, member_id bigint, provider_id bigint, amo numeric, complementary numeric, version integer"
)


class Selected(NamedTuple):
    """What files_selected_move moved: how many, and the files themselves when asked for."""

    moved: int
    files: list[Moved]


def files_selected_move(
    *,
    selection: QuerySet[ClaimFile],
    span: tuple[str, int, int],
    frm: str,
    to: str,
    code: str,
    params: dict[str, Any],
    actor_id: int | None,
    now: dt.datetime,
    into: str,
    audit_note: str = "",
    returning: bool = False,
) -> Selected:
    """PostgreSQL only: one statement moves the files of `selection` still in `frm` (rows locked by the
    UPDATE itself), writes their transitions and audit events and leaves them in the temporary table
    `into`. The moved rows are read back only with `returning` (to notify their members): the audit
    events are written by the same statement (audit_events_select_sql), not from Python.

    `span` (column, low, high) repeats the selection's range on the target so the planner reads it by
    index rather than scanning the table.
    """
    column, low, high = span
    if column not in ("member_id", "provider_id"):
        raise ValueError(column)
    chosen, chosen_params = selection.order_by().values("pk").query.sql_with_params()
    tr_sql, tr_params = bulk.insert_select_sql(
        ClaimTransition,
        {"file_id": "moved.id", "member_id": "moved.member_id", "from_status": "%s", "to_status": "%s",
         "version": "moved.version", "actor_id": "%s::bigint", "at": "%s", "reason": "%s", "reason_code": "%s",
         "reason_params": "%s::jsonb", "medical": "%s"},
    )  # fmt: skip
    audit_sql, audit_params = audit_events_select_sql(
        action=AuditAction.TRANSITION, object_type=ClaimFile._meta.label_lower, object_id=Sql("moved.id::text"),
        member_id=Sql("moved.member_id"), before={"status": frm, "version": Sql("moved.version - 1")},
        after={"status": to, "version": Sql("moved.version")}, actor_id=actor_id, at=now, note=audit_note,
    )  # fmt: skip
    bulk.temp_table_create(into, SELECTED_COLUMNS)
    table = connection.ops.quote_name(ClaimFile._meta.db_table)
    back = "RETURNING id, member_id, version" if returning else ""
    # Only identifiers and the ORM's own SQL are formatted in; every value is a parameter.
    sql = f"""
        WITH moved AS (
            UPDATE {table} SET status = %s, version = version + 1, updated_at = %s
            WHERE status = %s AND {column} > %s AND {column} <= %s AND id IN ({chosen})
            RETURNING id, number, member_id, provider_id, amo, complementary, version
        ), transitions AS (
            {tr_sql} FROM moved
        ), audits AS (
            {audit_sql} FROM moved
        )
        INSERT INTO {into} SELECT * FROM moved {back}
    """  # noqa: S608
    medical = frm == ClaimStatus.MEDICAL_REVIEW
    values: list[Any] = [to, now, frm, low, high, *chosen_params]
    values += [frm, to, actor_id, now, "", code, json.dumps(params), medical, *tr_params, *audit_params]
    with connection.cursor() as cur:
        cur.execute(sql, values)
        if returning:
            files = [Moved(*row) for row in cur.fetchall()]
            return Selected(len(files), files)
        return Selected(cur.rowcount, [])
