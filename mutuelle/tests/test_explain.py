"""The hot queries use their indexes on PostgreSQL (EXPLAIN; skipped on SQLite).

The test database is small, so the planner would rightly read a few pages rather than an index:
`SET LOCAL enable_seqscan = off` makes a sequential scan cost so much that the plan shows whether
an index *can* serve the query, which is what a migration must guarantee; whether PostgreSQL
picks it at national size is the benchmarks' business (bench/, docs/scale.md).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.db import connection, transaction
from django.db.backends.utils import CursorWrapper
from django.db.models import QuerySet
from django.test.utils import CaptureQueriesContext

from claims.models import ClaimFile
from claims.selectors_list import _text_match

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]
needs_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL")


@contextmanager
def _priced_out(*, searched: bool) -> Iterator[CursorWrapper]:
    """A cursor whose plans price sequential scans out; `searched`: plain index scans too, so an
    index walked whole with a Filter (which the planner may prefer, depending on the rows other
    tests left in the statistics) cannot hide whether a trigram index can *find* the rows."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        if searched:
            cursor.execute("SET LOCAL enable_indexscan = off")
        yield cursor


def _plan(qs: QuerySet[Any, Any], *, searched: bool = False) -> str:
    with _priced_out(searched=searched):
        return qs.explain()


def _sql_plan(sql: str) -> str:
    with _priced_out(searched=True) as cursor:
        cursor.execute(f"EXPLAIN {sql}")
        return "\n".join(row[0] for row in cursor.fetchall())


@needs_postgresql
def test_it_finds_a_part_of_a_file_number_through_the_trigram_index() -> None:
    plan = _plan(ClaimFile.objects.filter(number__contains="0012").values("pk"))
    assert "claims_claimfile_number_trgm" in plan, plan
    assert "Seq Scan on claims_claimfile" not in plan, plan


@needs_postgresql
def test_it_searches_the_claim_list_by_number_without_reading_every_file() -> None:
    plan = _plan(ClaimFile.objects.filter(_text_match("0012")).values("pk"), searched=True)
    assert "Seq Scan" not in plan, plan
    # Each arm of the union through its index: the file's number, then the card and membership numbers.
    for index in (
        "claims_claimfile_number_trgm",
        "members_beneficiary_card_number_trgm",
        "members_member_membership_number_trgm",
    ):
        assert index in plan, plan


def _uses_an_index(plan: str, table: str, index: str) -> None:
    """The index is searched (an Index Cond under it), not merely walked whole with a Filter."""
    lines = plan.splitlines()
    at = next((i for i, line in enumerate(lines) if index in line), None)
    assert at is not None, plan
    assert at + 1 < len(lines) and "Index Cond" in lines[at + 1], plan
    assert f"Seq Scan on {table}" not in plan, plan


@needs_postgresql
def test_it_finds_a_card_by_its_unique_index() -> None:
    """Eligibility (counter, provider API, FHIR) and adjudication start from the card."""
    from members.models import Beneficiary

    plan = _plan(Beneficiary.objects.filter(card_number="100001-01").values("pk", "member_id"))
    _uses_an_index(plan, "members_beneficiary", "members_beneficiary_card_number")


@needs_postgresql
def test_it_searches_names_in_both_scripts_through_the_trigram_index() -> None:
    from members.selectors import beneficiaries_named

    for query in ("filali hind", "فيلالي", "الفيلالي هند"):
        plan = _plan(beneficiaries_named(query).order_by().values("member_id"))
        _uses_an_index(plan, "members_beneficiary", "members_beneficiary_search_trgm")


@needs_postgresql
def test_it_reads_the_hot_lists_of_files_lines_and_payments_by_their_indexes() -> None:
    import datetime as dt

    from claims.models import ClaimLine
    from payments.models import Payment

    # The claims officers' queues: a status, oldest first.
    plan = _plan(ClaimFile.objects.filter(status="received").order_by("filed_on").values("pk")[:50])
    _uses_an_index(plan, "claims_claimfile", "claimfile_status_filed")
    # A member's file: their claim files, newest first.
    plan = _plan(ClaimFile.objects.filter(member_id=1).order_by("-filed_on").values("pk")[:50])
    _uses_an_index(plan, "claims_claimfile", "claimfile_member_filed")
    # A provider resending its invoice: the idempotency lookup on (provider, external_ref).
    plan = _plan(ClaimFile.objects.filter(provider_id=1, external_ref="FAC-1").values("pk"))
    _uses_an_index(plan, "claims_claimfile", "claimfile_provider_ref_unique")
    # The engine's history of a member (ceilings, duplicates, frequencies) from a date.
    plan = _plan(ClaimLine.objects.filter(member_id=1, care_date__gte=dt.date(2026, 1, 1)).values("pk"))
    _uses_an_index(plan, "claims_claimline", "claimline_member_care")
    # A member's payments (statements, the member's space).
    plan = _plan(Payment.objects.filter(member_id=1).values("pk"))
    _uses_an_index(plan, "payments_payment", "payment_member_batch")


@needs_postgresql
def test_it_finds_misspelt_names_and_numbers_of_the_member_search_through_indexes() -> None:
    from members.models import Member
    from members.search import tolerant_member_ids
    from members.selectors import _exact_member_ids, _named_member_ids, _word_prefix

    with connection.cursor() as cursor:  # a stored word close to the query, as the triggers keep them
        cursor.execute("INSERT INTO members_nameword (word) VALUES ('filali')")
    with CaptureQueriesContext(connection) as captured:
        tolerant_member_ids(["filaly"], prefix=_word_prefix, scope=None)
        _named_member_ids("Youssef Amrani", scope=None)
        _named_member_ids("يوسف العمراني", scope=None)  # a regular expression a word: ` (ال)?عمراني`
        _exact_member_ids("2000123")
    sqls = [q["sql"] for q in captured.captured_queries]
    assert len(sqls) == 5, sqls
    for sql in sqls:
        plan = _sql_plan(sql)
        assert "Seq Scan" not in plan, plan
        if "members_nameword" in sql:  # the close words: the distinct words' trigram index
            assert "Bitmap Index Scan on members_nameword_trgm" in plan, plan
        elif "LIKE" in sql or "~" in sql:  # the tolerant tier's whole words, the name prefixes: trigrams
            assert "Bitmap Index Scan on members_beneficiary_search_trgm" in plan, plan
        else:  # the four number lookups, each by its unique index
            assert plan.count("Bitmap Index Scan") == 4, plan
    assert Member.objects.count() == 0  # plans only: the empty test database


@needs_postgresql
def test_it_reads_a_what_if_chunk_s_files_by_their_member_range() -> None:
    """Each chunk of the what-if replay joins only its members' files: with the lines' member range
    alone the planner hash-joined every chunk with a scan of every claim file."""
    from datetime import date

    from reports.whatif_read import Period, _rows

    with connection.cursor() as cursor:  # the empty tables' own statistics, whatever ran before
        cursor.execute("ANALYZE claims_claimline, claims_claimfile")  # (ANALYZE's row counts outlive a rollback)
    with CaptureQueriesContext(connection) as captured:
        _rows(1000, 2000, Period(date(2025, 1, 1), date(2025, 12, 31)))
    (sql,) = [q["sql"] for q in captured.captured_queries]
    plan = _sql_plan(sql)
    assert "Seq Scan" not in plan, plan
    assert "Bitmap Index Scan on claimfile_member_filed" in plan, plan
    assert "Bitmap Index Scan on claimline_member_care" in plan, plan
