"""Database-vendor-specific bulk SQL, in one place: one function per bulk operation.

Each operation has its PostgreSQL fast path (COPY, one array parameter, SKIP LOCKED, advisory
locks) and its portable path (SQLite for the test suite and the demo) side by side, so a caller
never tests `connection.vendor` itself. Where the fast path exists only for speed, both paths
give the same rows (`mutuelle/tests/test_bulk.py` runs both on PostgreSQL and compares them).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Collection, Mapping, Sequence
from typing import Any, NamedTuple

from django.db import connection, models, transaction
from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL
from django.utils import timezone

Row = tuple[Any, ...]


def is_postgresql() -> bool:
    """True on PostgreSQL, where the fast paths below apply."""
    return bool(connection.vendor == "postgresql")


# ---------------------------------------------------------------- inserting many rows


def model_defaults(model: type[models.Model], given: Sequence[str]) -> tuple[list[str], list[Any]]:
    """The concrete fields of `model` not in `given` (attnames, primary key excepted) and their defaults.

    auto_now/auto_now_add fields get now, so the helpers keep working when a model gains a column
    with a default; a field with neither a default nor NULL is refused.
    """
    now = timezone.now()
    names, values = [], []
    for field in model._meta.concrete_fields:
        if field.primary_key or field.attname in given:
            continue
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            value: Any = now
        else:
            value = field.get_default()  # "" for a text field without a default
            if value is None and not field.null:
                raise ValueError(f"{model.__name__}.{field.attname} needs a value")
        names.append(field.attname)
        values.append(value)
    return names, values


def rows_copy(
    model: type[models.Model], fields: Sequence[str], rows: Sequence[Row], *, with_ids: bool = False
) -> list[int]:
    """Insert plain tuples of `fields` (attnames; every other column gets its default).

    With `with_ids`, the new primary keys in row order. PostgreSQL: one COPY (ids taken from the
    table's sequence); elsewhere one executemany (no model instances built).
    """
    if not rows:
        return []
    if is_postgresql():
        return _rows_copy_postgresql(model, fields, rows, with_ids=with_ids)
    return _rows_copy_portable(model, fields, rows, with_ids=with_ids)


def _rows_copy_postgresql(
    model: type[models.Model], fields: Sequence[str], rows: Sequence[Row], *, with_ids: bool
) -> list[int]:
    from psycopg.types.json import Jsonb

    extra_names, extra_values = model_defaults(model, fields)
    names = [*fields, *extra_names]
    json_names = {f.attname for f in model._meta.concrete_fields if isinstance(f, models.JSONField)}
    json_at = {i for i, n in enumerate(names) if n in json_names}
    json_head = {i for i in json_at if i < len(fields)}  # the callers' own JSON values, wrapped per row
    # The defaults are the same on every row: their JSON is encoded once, as the text COPY sends
    # (the server parses it by the column's type), not once per row (a third of a big load's CPU).
    tail = tuple(json.dumps(v) if (len(fields) + i) in json_at else v for i, v in enumerate(extra_values))
    table = model._meta.db_table
    pk_column = model._meta.pk.column if model._meta.pk else "id"
    ids: list[int] = []
    with connection.cursor() as cursor:
        if with_ids:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [table, pk_column, len(rows)],
            )
            ids = [r[0] for r in cursor.fetchall()]
        by_attname = {f.attname: f.column for f in model._meta.concrete_fields}
        columns = [by_attname[n] for n in names]
        if with_ids:
            columns.insert(0, pk_column)
        quoted = ", ".join(f'"{c}"' for c in columns)
        with cursor.cursor.copy(f'COPY "{table}" ({quoted}) FROM STDIN') as copy:  # psycopg's own cursor
            for i, row in enumerate(rows):
                head = tuple(Jsonb(v) if j in json_head else v for j, v in enumerate(row)) if json_head else row
                copy.write_row((ids[i], *head, *tail) if with_ids else (*head, *tail))
    return ids


# Values the driver takes as they are; any other field's values go through get_db_prep_save
# (datetimes made naive in UTC on SQLite, decimals, JSON), as bulk_create would do.
_AS_IS = (models.CharField, models.TextField, models.IntegerField, models.BooleanField, models.ForeignKey)


def _rows_copy_portable(
    model: type[models.Model], fields: Sequence[str], rows: Sequence[Row], *, with_ids: bool
) -> list[int]:
    extra_names, extra_values = model_defaults(model, fields)
    by_name = {f.attname: f for f in model._meta.concrete_fields}
    tail = tuple(by_name[n].get_db_prep_save(v, connection) for n, v in zip(extra_names, extra_values, strict=True))
    preps = [(i, by_name[n]) for i, n in enumerate(fields) if not isinstance(by_name[n], _AS_IS)]
    if preps:
        rows = [_prepared(row, preps) for row in rows]
    quote = connection.ops.quote_name
    table, pk = model._meta.db_table, model._meta.pk.column if model._meta.pk else "id"
    columns = [quote(by_name[n].column) for n in (*fields, *extra_names)]
    ids: list[int] = []
    with connection.cursor() as cursor:
        if with_ids and connection.vendor != "sqlite":  # no range of ids to reserve: one INSERT ... RETURNING a row
            marks = ", ".join(["%s"] * len(columns))
            sql = f"INSERT INTO {quote(table)} ({', '.join(columns)}) VALUES ({marks}) RETURNING {quote(pk)}"  # noqa: S608
            for row in rows:
                cursor.execute(sql, (*row, *tail))
                ids.append(int(cursor.fetchone()[0]))
            return ids
        if with_ids:  # SQLite writers are serialised (IMMEDIATE transactions): the next ids are ours
            cursor.execute(f"SELECT MAX({quote(pk)}) FROM {quote(table)}")  # noqa: S608 (quoted model names)
            top = cursor.fetchone()[0] or 0
            cursor.execute("SELECT MAX(seq) FROM sqlite_sequence WHERE name = %s", [table])
            first = max(top, cursor.fetchone()[0] or 0) + 1
            ids = list(range(first, first + len(rows)))
            columns.insert(0, quote(pk))
        marks = ", ".join(["%s"] * len(columns))
        sql = f"INSERT INTO {quote(table)} ({', '.join(columns)}) VALUES ({marks})"  # noqa: S608
        if with_ids:
            cursor.executemany(sql, [(i, *row, *tail) for i, row in zip(ids, rows, strict=True)])
        else:
            cursor.executemany(sql, [(*row, *tail) for row in rows])
    return ids


def _prepared(row: Row, preps: list[tuple[int, models.Field[Any, Any]]]) -> Row:
    values = list(row)
    for i, field in preps:
        values[i] = field.get_db_prep_save(values[i], connection)
    return tuple(values)


def insert_select_sql(model: type[models.Model], exprs: Mapping[str, str]) -> tuple[str, list[Any]]:
    """`INSERT INTO table (columns) SELECT expressions`, the FROM clause left to the caller (PostgreSQL).

    `exprs` maps attnames to SQL expressions (their own %s placeholders come first in the
    parameters); every other concrete field gets its model default, cast to its column type,
    as the returned parameters.
    """
    from psycopg.types.json import Jsonb

    extra_names, extra_values = model_defaults(model, list(exprs))
    fields = {f.attname: f for f in model._meta.concrete_fields}
    quote = connection.ops.quote_name
    columns = [quote(fields[n].column) for n in (*exprs, *extra_names)]
    casts = [f"%s::{fields[n].db_type(connection)}" for n in extra_names]
    params = [
        Jsonb(v) if isinstance(fields[n], models.JSONField) and v is not None else v
        for n, v in zip(extra_names, extra_values, strict=True)
    ]
    values = ", ".join([*exprs.values(), *casts])
    sql = f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(columns)}) SELECT {values}"
    return sql, params


# ---------------------------------------------------------------- COPY in text format (PostgreSQL)

_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def copy_escape(value: str) -> str:
    """A value for COPY's text format (most values need no escape: four scans in C are cheaper)."""
    if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
        return value.translate(_ESCAPES)
    return value


COPY_NULL = "\\N"  # COPY's text format for NULL
_SAME = object()


class CopyJson:
    """COPY text (escaped) of JSON values, memoised by a key: what the bulk writers COPY repeats from
    row to row (a file's state before, the reasons and traces of lines), so each distinct value is
    serialised once per call.

    `js(key)` writes the key itself (a tuple as a JSON list); `js(key, value)` writes `value` (a
    callable is called on a miss only); `js.mapping(d)` writes a dict keyed by its items (one with
    an unhashable value, unmemoised). None is COPY's NULL.
    """

    __slots__ = ("memo",)

    def __init__(self) -> None:
        self.memo: dict[Any, str] = {}

    def __call__(self, key: Any, value: Any = _SAME) -> str:
        if key is None:
            return COPY_NULL
        found = self.memo.get(key)
        if found is None:
            data = key if value is _SAME else value() if callable(value) else value
            found = self.memo[key] = copy_escape(json.dumps(data, ensure_ascii=False))
        return found

    def mapping(self, value: Mapping[str, Any] | None) -> str:
        if value is None:
            return COPY_NULL
        key = tuple(value.items())
        try:
            return self(key, value)
        except TypeError:  # a nested (unhashable) value: no memo
            return copy_escape(json.dumps(value, ensure_ascii=False))


def id_span(ids: Sequence[int]) -> list[int]:
    """[lowest, highest] of `ids`: repeated as `id BETWEEN %s AND %s` on the target of an
    UPDATE ... FROM, it lets the planner read the target by index rather than scan it."""
    return [min(ids), max(ids)]


def copy_text(sql: str, text: str) -> None:
    """Run `COPY ... FROM STDIN` with `text` already in COPY's text format (PostgreSQL only)."""
    with connection.cursor() as cur, cur.cursor.copy(sql) as copy:
        copy.write(text)


# Up to this many rows, an UPDATE ... FROM reads its rows from arrays (`update_source`) rather than
# from a temporary table filled by COPY: for the one file of a provider's claim, creating and dropping
# two tables was most of the write's cost, and it churns the system catalogs at every claim.
ARRAY_ROWS = 64


class Source(NamedTuple):
    """The FROM item of an UPDATE ... FROM (a table name or a sub-select) and its parameters."""

    sql: str
    params: list[Any]


def update_source(
    *,
    name: str,
    columns: Sequence[tuple[str, str]],
    rows: Sequence[Any],
    values: Callable[[Any], Sequence[Any]],
    copy: Callable[[], str],
) -> Source:
    """PostgreSQL only: `rows` as the FROM item of one UPDATE, with the columns (name, SQL type).
    Up to ARRAY_ROWS rows: one array per column (`unnest`) of `values(row)`, JSON columns passed as
    text and cast; more: the temporary table `name`, filled by COPY of `copy()` (the caller's COPY
    text, memoised as its bulk writers do)."""
    if len(rows) > ARRAY_ROWS:
        temp_table_create(name, ", ".join(f"{c} {t}" for c, t in columns))
        copy_text(f"COPY {name} FROM STDIN", copy())
        return Source(name, [])
    table = [values(row) for row in rows]
    arrays = ", ".join(f"%s::{'text' if t == 'jsonb' else t}[]" for _c, t in columns)
    picked = ", ".join(f"u.{c}::jsonb AS {c}" if t == "jsonb" else f"u.{c}" for c, t in columns)
    names = ", ".join(c for c, _t in columns)
    params: list[Any] = [[row[i] for row in table] for i in range(len(columns))]
    # Only the caller's column names and types are formatted in; every value is an array parameter.
    return Source(f"(SELECT {picked} FROM unnest({arrays}) AS u({names}))", params)  # noqa: S608


def temp_table_create(name: str, columns: str) -> None:
    """A temporary table dropped at commit, for a COPY followed by one UPDATE ... FROM (PostgreSQL only)."""
    with connection.cursor() as cur:
        cur.execute(f"DROP TABLE IF EXISTS {name}; CREATE TEMP TABLE {name} ({columns}) ON COMMIT DROP")


# ---------------------------------------------------------------- reading by many ids


def one_of(model: type[models.Model], field: str, values: Collection[Any]) -> Any:
    """An ORM filter for `field` (an attname) in `values`.

    PostgreSQL: `= ANY(%s)` with one array parameter, where an IN list of thousands of
    placeholders costs more to build and parse than the query itself; elsewhere `__in`.
    """
    if values and is_postgresql():
        return _one_of_postgresql(model, field, values)
    return _one_of_portable(field, values)


def _one_of_postgresql(model: type[models.Model], field: str, values: Collection[Any]) -> Any:
    quote = connection.ops.quote_name
    name = next(f.column for f in model._meta.concrete_fields if f.attname == field)
    column = f"{quote(model._meta.db_table)}.{quote(name)}"
    return RawSQL(f"{column} = ANY(%s)", (list(values),), output_field=models.BooleanField())  # noqa: S611


def _one_of_portable(field: str, values: Collection[Any]) -> Q:
    return Q(**{f"{field}__in": values})


def column_in(column: str, ids: Collection[Any]) -> tuple[str, list[Any]]:
    """A raw SQL condition `column` among `ids` and its parameters: one array on PostgreSQL, placeholders elsewhere."""
    return _column_in_postgresql(column, ids) if is_postgresql() else _column_in_portable(column, ids)


def _column_in_postgresql(column: str, ids: Collection[Any]) -> tuple[str, list[Any]]:
    return f"{column} = ANY(%s)", [list(ids)]


def _column_in_portable(column: str, ids: Collection[Any]) -> tuple[str, list[Any]]:
    return f"{column} IN ({', '.join(['%s'] * len(ids))})", list(ids)


def rows_fetch(
    sql: str, params: Sequence[Any], *, dates: Collection[int] = (), booleans: Collection[int] = ()
) -> list[Row]:
    """The rows of a raw SELECT, with the columns at `dates` as dates and at `booleans` as bools.

    PostgreSQL's driver already returns them typed; SQLite returns dates as text and booleans
    as integers, converted here so both give the same rows.
    """
    with connection.cursor() as cur:
        return rows_of(cur, sql, params, dates=dates, booleans=booleans)


def rows_of(
    cur: Any, sql: str, params: Sequence[Any], *, dates: Collection[int] = (), booleans: Collection[int] = ()
) -> list[Row]:
    """`rows_fetch` on a cursor of the caller's (the default connection's, or another connection's
    to the same database, as the what-if replay's read-ahead holds)."""
    cur.execute(sql, params)
    rows = list(cur.fetchall())
    if is_postgresql() or not (dates or booleans):
        return rows
    return _rows_typed_portable(rows, dates, booleans)


def _rows_typed_portable(rows: list[Row], dates: Collection[int], booleans: Collection[int]) -> list[Row]:
    return [_typed(row, dates, booleans) for row in rows]


def _typed(row: Row, dates: Collection[int], booleans: Collection[int]) -> Row:
    values = list(row)
    for i in dates:
        if isinstance(values[i], str):
            values[i] = dt.date.fromisoformat(values[i])
    for i in booleans:
        if values[i] is not None:
            values[i] = bool(values[i])
    return tuple(values)


# ---------------------------------------------------------------- locks and queues


def serialised_section(key: int) -> None:
    """Make the current transaction's writers of `key` wait for each other until it ends.

    PostgreSQL: a transaction-scoped advisory lock. SQLite transactions here are IMMEDIATE, so
    writers are already serialised and nothing is needed.
    """
    if is_postgresql():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])


def row_claim(claimable: Callable[[], QuerySet[Any]], changes: Mapping[str, Any]) -> int | None:
    """Apply `changes` to the first row (by id) of `claimable()` that nobody else takes; its id, or None.

    PostgreSQL: SELECT ... FOR UPDATE SKIP LOCKED, so claimers never wait on each other.
    Elsewhere: an UPDATE ... WHERE still-claimable, which only one writer can win, tried on the
    first five candidates.
    """
    return _row_claim_postgresql(claimable, changes) if is_postgresql() else _row_claim_portable(claimable, changes)


def _row_claim_postgresql(claimable: Callable[[], QuerySet[Any]], changes: Mapping[str, Any]) -> int | None:
    with transaction.atomic():
        pk = claimable().select_for_update(skip_locked=True).order_by("id").values_list("pk", flat=True).first()
        if pk is None:
            return None
        claimable().model._default_manager.filter(pk=pk).update(**changes)
        return int(pk)


def _row_claim_portable(claimable: Callable[[], QuerySet[Any]], changes: Mapping[str, Any]) -> int | None:
    for pk in claimable().order_by("id").values_list("pk", flat=True)[:5]:
        if claimable().filter(pk=pk).update(**changes):
            return int(pk)
    return None


def unlocked_rows(qs: QuerySet[Any]) -> QuerySet[Any]:
    """`qs` locked for update, without the rows another transaction holds.

    PostgreSQL: FOR UPDATE SKIP LOCKED. SQLite: writers are serialised (IMMEDIATE transactions),
    so there is nothing to skip and no lock to take.
    """
    return qs.select_for_update(skip_locked=True) if is_postgresql() else qs


def transaction_setting_set(name: str, value: str) -> None:
    """Set a custom setting for the rest of the transaction (read by PostgreSQL triggers);
    SQLite has no triggers of ours to read it, so nothing is done there."""
    if is_postgresql():
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config(%s, %s, true)", [name, value])
