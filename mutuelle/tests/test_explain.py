"""The hot queries use their indexes on PostgreSQL (EXPLAIN; skipped on SQLite).

The test database is small, so the planner would rightly read a few pages rather than an index:
`SET LOCAL enable_seqscan = off` makes a sequential scan cost so much that the plan shows whether
an index *can* serve the query, which is what a migration must guarantee; whether PostgreSQL
picks it at national size is the benchmarks' business (bench/, docs/scale.md).
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection, transaction
from django.db.models import QuerySet

from claims.models import ClaimFile
from claims.selectors_list import _text_match

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]
needs_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL")


def _plan(qs: QuerySet[ClaimFile, Any]) -> str:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        return qs.explain()


@needs_postgresql
def test_it_finds_a_part_of_a_file_number_through_the_trigram_index() -> None:
    plan = _plan(ClaimFile.objects.filter(number__contains="0012").values("pk"))
    assert "claims_claimfile_number_trgm" in plan, plan
    assert "Seq Scan on claims_claimfile" not in plan, plan


@needs_postgresql
def test_it_searches_the_claim_list_by_number_without_reading_every_file() -> None:
    plan = _plan(ClaimFile.objects.filter(_text_match("0012")).values("pk"))
    assert "Seq Scan" not in plan, plan
    # Each arm of the union through its index: the file's number, then the card and membership numbers.
    for index in (
        "claims_claimfile_number_trgm",
        "members_beneficiary_card_number_trgm",
        "members_member_membership_number_trgm",
    ):
        assert index in plan, plan
