"""Inserting many rows fast: COPY on PostgreSQL, bulk_create elsewhere.

Rows are plain tuples of the given fields (attnames, e.g. "batch_id"); every other concrete
field gets its model default (auto_now/auto_now_add: now), so the helper keeps working when a
model gains a column with a default. With `with_ids`, the new primary keys are returned in row
order (taken from the table's sequence on PostgreSQL).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.db import connection, models
from django.utils import timezone


def _defaults(model: type[models.Model], given: Sequence[str]) -> tuple[list[str], list[Any]]:
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


def insert_rows(
    model: type[models.Model], fields: Sequence[str], rows: Sequence[tuple[Any, ...]], *, with_ids: bool = False
) -> list[int]:
    if not rows:
        return []
    extra_names, extra_values = _defaults(model, fields)
    names = [*fields, *extra_names]
    if connection.vendor != "postgresql":
        objs = model._default_manager.bulk_create(
            [model(**dict(zip(names, (*row, *extra_values), strict=True))) for row in rows], batch_size=2000
        )
        return [int(o.pk) for o in objs] if with_ids else []
    from psycopg.types.json import Jsonb

    json_names = {f.attname for f in model._meta.concrete_fields if isinstance(f, models.JSONField)}
    json_at = {i for i, n in enumerate(names) if n in json_names}
    tail = tuple(Jsonb(v) if (len(fields) + i) in json_at else v for i, v in enumerate(extra_values))
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
        sql = f'COPY "{table}" ({quoted}) FROM STDIN'
        raw = cursor.cursor  # psycopg's own cursor
        with raw.copy(sql) as copy:
            for i, row in enumerate(rows):
                head = tuple(Jsonb(v) if j in json_at else v for j, v in enumerate(row)) if json_at else row
                copy.write_row((ids[i], *head, *tail) if with_ids else (*head, *tail))
    return ids


def insert_select_sql(model: type[models.Model], exprs: Mapping[str, str]) -> tuple[str, list[Any]]:
    """`INSERT INTO table (columns) SELECT expressions` for PostgreSQL, the FROM clause left to the caller.

    `exprs` maps attnames to SQL expressions (their own %s placeholders come first in the
    parameters); every other concrete field gets its model default, cast to its column type,
    as the returned parameters.
    """
    from psycopg.types.json import Jsonb

    extra_names, extra_values = _defaults(model, list(exprs))
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
