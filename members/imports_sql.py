"""Inserting plain tuples for the roster import: COPY on PostgreSQL, one executemany on SQLite.

PostgreSQL goes through `payments.fastinsert.insert_rows` (COPY, ids from the sequence); on
SQLite its fallback builds model instances, the cost this module avoids.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from django.db import connection, models
from django.db.models import Q
from django.db.models.expressions import RawSQL

from payments.fastinsert import _defaults, insert_rows


def insert_tuples(
    model: type[models.Model], fields: tuple[str, ...], rows: list[tuple[Any, ...]], *, with_ids: bool = False
) -> list[int]:
    """Insert plain tuples of `fields` (other columns get their defaults); the new ids in row order if asked."""
    if not rows or connection.vendor == "postgresql":
        return insert_rows(model, fields, rows, with_ids=with_ids)
    extra_names, extra_values = _defaults(model, fields)
    by_name = {f.attname: f for f in model._meta.concrete_fields}
    tail = tuple(by_name[n].get_db_prep_save(v, connection) for n, v in zip(extra_names, extra_values, strict=True))
    quote = connection.ops.quote_name
    table, pk = model._meta.db_table, model._meta.pk.column if model._meta.pk else "id"
    columns = [quote(by_name[n].column) for n in (*fields, *extra_names)]
    ids: list[int] = []
    with connection.cursor() as cursor:
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


def one_of(model: type[models.Model], field: str, values: Collection[Any]) -> Any:
    """A filter for `field` (an attname) in `values`: `= ANY(%s)` with one array parameter on PostgreSQL, where an
    IN list of thousands of placeholders costs more to build and parse than the query itself."""
    if not values or connection.vendor != "postgresql":
        return Q(**{f"{field}__in": values})
    quote = connection.ops.quote_name
    name = next(f.column for f in model._meta.concrete_fields if f.attname == field)
    column = f"{quote(model._meta.db_table)}.{quote(name)}"
    return RawSQL(f"{column} = ANY(%s)", (list(values),), output_field=models.BooleanField())  # noqa: S611
