"""Pieces shared by the contributions services: refusals, the rights-review outbox, ledger SQL."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import connection
from django.utils import timezone

from contributions.models import LedgerEntry
from jobs.registry import handler_kinds
from jobs.services import job_enqueue
from mutuelle.errors import DomainError

RIGHTS_REVIEW = "contributions.rights_review"


class ContributionRefused(DomainError):
    """A contributions write refused, with a translated message."""


def rights_review_enqueue(*, member_ids: Sequence[int]) -> None:
    """Ask the rights app (when installed) to review these members after a payment; call it inside the
    transaction of the payment, so the job exists exactly when the payment does."""
    if member_ids and RIGHTS_REVIEW in handler_kinds():
        job_enqueue(kind=RIGHTS_REVIEW, params={"member_ids": sorted(set(member_ids))})


def ledger_insert_select(
    columns: dict[str, str], select_params: Sequence[Any], from_where: str, where_params: Sequence[Any]
) -> int:
    """`INSERT INTO ledger (columns) SELECT expressions FROM ... WHERE ...` (standard SQL, both databases).

    `columns` maps attnames to SQL expressions (their placeholders' values in `select_params`, in order);
    `active` and `created_at` are added. Table names come from the models, never from input.
    """
    quote = connection.ops.quote_name
    fields = {f.attname: f.column for f in LedgerEntry._meta.concrete_fields}
    names = [quote(fields[n]) for n in (*columns, "active", "created_at")]
    values = [*columns.values(), "%s", "%s"]
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    table = quote(LedgerEntry._meta.db_table)
    sql = f"INSERT INTO {table} ({', '.join(names)}) SELECT {', '.join(values)} {from_where}"
    with connection.cursor() as cursor:
        cursor.execute(sql, [*select_params, True, now, *where_params])
        return int(cursor.rowcount)
