"""Set-based writes of adjudication results: one statement (or one COPY) per table per call.

PostgreSQL: decisions are COPYed into a temporary table and applied with one UPDATE ... FROM;
transitions and audit events are COPYed straight into their tables. Other databases
(SQLite for the test suite): bulk_update and bulk_create. Amounts arrive as integer centimes.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection

from audit.masking import audit_mask_pair, masked_fields
from audit.models import AuditEvent
from audit.services import audit_event_new
from claims.models import ClaimFile, ClaimLine, ClaimTransition
from claims.services.engine_io import to_decimal

# (id, status, basis¢, amo¢, complementary¢, remainder¢, reasons, trace)
LineOut = tuple[int, str, int, int, int, int, tuple[str, ...], tuple[str, ...]]
# (id, status, version, paid¢, basis¢, amo¢, complementary¢, remainder¢, review reasons)
FileOut = tuple[int, str, int, int, int, int, int, int, list[str]]
# (file id, member id, from, to, version reached, reason)
TransitionOut = tuple[int, int, str, str, int, str]
# (file id, member id, before, after)
AuditOut = tuple[int, int, dict[str, Any], dict[str, Any]]

AMOUNTS = ("basis", "amo", "complementary", "remainder")
_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _text(value: str) -> str:
    """A value for COPY's text format (most values need no escape: four scans in C are cheaper)."""
    if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
        return value.translate(_ESCAPES)
    return value


class _JsonCache:
    """JSON text (COPY-escaped) of the reasons and traces, which repeat from line to line."""

    def __init__(self) -> None:
        self.memo: dict[tuple[str, ...] | tuple[Any, ...], str] = {}

    def __call__(self, key: tuple[Any, ...], value: Any = None) -> str:
        """JSON of `value` (by default the `key` itself), memoised by `key`."""
        found = self.memo.get(key)
        if found is None:
            found = self.memo[key] = _text(json.dumps(key if value is None else value, ensure_ascii=False))
        return found


def _copy(sql: str, text: str) -> None:
    with connection.cursor() as cur, cur.cursor.copy(sql) as copy:
        copy.write(text)


def _span(rows: Sequence[tuple[Any, ...]]) -> list[int]:
    """The id range of `rows`: it lets the planner read the target by index rather than scan it."""
    ids = [r[0] for r in rows]
    return [min(ids), max(ids)]


def _temp(name: str, columns: str) -> None:
    with connection.cursor() as cur:
        cur.execute(f"DROP TABLE IF EXISTS {name}; CREATE TEMP TABLE {name} ({columns}) ON COMMIT DROP")


def lines_copy_text(rows: Sequence[LineOut]) -> str:
    """The line decisions in COPY's text format, one row each (the bench's COPY floor writes the same)."""
    js = _JsonCache()
    return "".join(f"{i}\t{s}\t{b}\t{a}\t{c}\t{r}\t{js(rs)}\t{js(tr)}\n" for i, s, b, a, c, r, rs, tr in rows)


def store_lines(rows: Sequence[LineOut]) -> None:
    """Each line's decision, amounts, reasons and trace."""
    if not rows:
        return
    if connection.vendor != "postgresql":
        objs = [ClaimLine(id=r[0], status=r[1], basis=to_decimal(r[2]), amo=to_decimal(r[3]),
                          complementary=to_decimal(r[4]), remainder=to_decimal(r[5]), reasons=list(r[6]),
                          trace=list(r[7])) for r in rows]  # fmt: skip
        ClaimLine.objects.bulk_update(objs, ["status", *AMOUNTS, "reasons", "trace"], batch_size=500)
        return
    text = lines_copy_text(rows)
    _temp("_adj_lines", "id bigint, status varchar(10), basis bigint, amo bigint, complementary bigint, "
                        "remainder bigint, reasons jsonb, trace jsonb")  # fmt: skip
    _copy("COPY _adj_lines FROM STDIN", text)
    sets = ", ".join(f"{c} = s.{c}::numeric / 100" for c in AMOUNTS)
    with connection.cursor() as cur:
        cur.execute(
            f"UPDATE {ClaimLine._meta.db_table} t SET status = s.status, {sets}, reasons = s.reasons, "  # noqa: S608
            "trace = s.trace FROM _adj_lines s WHERE t.id = s.id AND t.id BETWEEN %s AND %s",
            _span(rows),
        )


def store_files(rows: Sequence[FileOut], now: dt.datetime) -> None:
    """Each file's new status, version, totals and review reasons, stamped adjudicated now."""
    if not rows:
        return
    if connection.vendor != "postgresql":
        objs = [ClaimFile(id=r[0], status=r[1], version=r[2], paid=to_decimal(r[3]), basis=to_decimal(r[4]),
                          amo=to_decimal(r[5]), complementary=to_decimal(r[6]), remainder=to_decimal(r[7]),
                          review_reasons=r[8], adjudicated_at=now, updated_at=now) for r in rows]  # fmt: skip
        fields = ["status", "version", "paid", *AMOUNTS, "review_reasons", "adjudicated_at", "updated_at"]
        ClaimFile.objects.bulk_update(objs, fields, batch_size=500)
        return
    js = _JsonCache()
    text = "".join(f"{i}\t{s}\t{v}\t{p}\t{b}\t{a}\t{c}\t{r}\t{js(tuple(rr))}\n" for i, s, v, p, b, a, c, r, rr in rows)
    _temp("_adj_files", "id bigint, status varchar(16), version integer, paid bigint, basis bigint, amo bigint, "
                        "complementary bigint, remainder bigint, review_reasons jsonb")  # fmt: skip
    _copy("COPY _adj_files FROM STDIN", text)
    sets = ", ".join(f"{c} = s.{c}::numeric / 100" for c in ("paid", *AMOUNTS))
    with connection.cursor() as cur:
        cur.execute(
            f"UPDATE {ClaimFile._meta.db_table} t SET status = s.status, version = s.version, {sets}, "  # noqa: S608
            "review_reasons = s.review_reasons, adjudicated_at = %s, updated_at = %s "
            "FROM _adj_files s WHERE t.id = s.id AND t.id BETWEEN %s AND %s",
            [now, now, *_span(rows)],
        )


def _null(value: Any) -> str:
    return "\\N" if value is None else str(value)


def store_transitions(rows: Iterable[TransitionOut], *, actor_id: int | None, now: dt.datetime) -> None:
    """One ClaimTransition per state change: who (`actor_id`, None = the system), when, why."""
    rows = list(rows)
    if not rows:
        return
    if connection.vendor != "postgresql":
        ClaimTransition.objects.bulk_create(
            [ClaimTransition(file_id=f, member_id=m, from_status=a, to_status=b, version=v, actor_id=actor_id, at=now,
                             reason=why) for f, m, a, b, v, why in rows],
            batch_size=2000,
        )  # fmt: skip
        return
    who, at = _null(actor_id), now.isoformat()
    text = "".join(f"{f}\t{m}\t{a}\t{b}\t{v}\t{who}\t{at}\t{_text(why)}\t\n" for f, m, a, b, v, why in rows)
    _copy(f"COPY {ClaimTransition._meta.db_table} (file_id, member_id, from_status, to_status, version, actor_id, "
          "at, reason, note) FROM STDIN", text)  # fmt: skip


def _audits_masked(kind: str, rows: list[AuditOut]) -> list[AuditOut]:
    """The rows with their medical values masked, as audit_record stores them (audit.masking)."""
    if not masked_fields(kind):
        return rows  # a claim file's state has none: the hot path copies nothing
    out: list[AuditOut] = []
    for f, m, b, a in rows:
        before, after, _ = audit_mask_pair(kind, b, a)
        out.append((f, m, before or {}, after or {}))
    return out


def store_audits(rows: Iterable[AuditOut], *, actor_id: int | None, now: dt.datetime, note: str) -> None:
    """One audit event per file (action "transition", before and after), as audit_record writes it."""
    rows = list(rows)
    if not rows:
        return
    kind = ClaimFile._meta.label_lower
    if connection.vendor != "postgresql":
        AuditEvent.objects.bulk_create(
            [audit_event_new(actor=None, actor_id=actor_id, at=now, action=AuditEvent.Action.TRANSITION,
                             object_type=kind, object_id=str(f), member_id=m, before=b, after=a, note=note)
             for f, m, b, a in rows],
            batch_size=2000,
        )  # fmt: skip
        return
    rows = _audits_masked(kind, rows)
    head = f"{now.isoformat()}\t{_null(actor_id)}\t{AuditEvent.Action.TRANSITION}\t{kind}\t"
    tail = f"\t{_text(note)}\n"
    dumps, before = json.dumps, _JsonCache()  # "before" repeats: (received, version 1) mostly
    text = "".join(f"{head}{f}\t{m}\t{before(tuple(b.items()), b)}\t{_text(dumps(a))}{tail}" for f, m, b, a in rows)
    _copy(f"COPY {AuditEvent._meta.db_table} (at, actor_id, action, object_type, object_id, member_id, before, "
          "after, note) FROM STDIN", text)  # fmt: skip
