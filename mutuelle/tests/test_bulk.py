"""mutuelle.bulk: each PostgreSQL fast path gives the rows its portable twin gives.

The comparisons run both implementations on PostgreSQL against the same input (marked
`postgres`, skipped on SQLite); the others run on whichever database the suite uses.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from claims.tests.factories import member_make
from jobs.models import Job, JobState
from members.models import Member, MemberStatus, MemberStatusChange
from mutuelle import bulk

pytestmark = pytest.mark.django_db
needs_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL")

_AT = dt.datetime(2025, 3, 4, 10, 30, tzinfo=dt.UTC)
_STATUS_FIELDS = ("member_id", "status", "valid_from", "note", "recorded_at")


def _status_rows(members: list[Member], year: int) -> list[tuple[Any, ...]]:
    return [
        (m.pk, MemberStatus.SUSPENDED, dt.date(year, 1, 1 + i), f"tab\there {i}", _AT) for i, m in enumerate(members)
    ]


def _stored(ids: list[int]) -> list[tuple[Any, ...]]:
    fields = ("member_id", "status", "valid_from", "note", "recorded_by_id", "recorded_at")
    return list(MemberStatusChange.objects.filter(pk__in=ids).order_by("pk").values_list(*fields))


def _job_rows(n: int) -> list[tuple[Any, ...]]:
    return [(f"kind{i}", {"n": i, "text": "é\n"}, _AT) for i in range(n)]


def _jobs(ids: list[int]) -> list[tuple[Any, ...]]:
    fields = ("kind", "params", "state", "cursor", "progress", "attempts", "locked_by", "created_at")
    return list(Job.objects.filter(pk__in=ids).order_by("pk").values_list(*fields))


@pytest.mark.postgres
@needs_postgresql
def test_it_copies_the_same_rows_as_the_portable_insert() -> None:
    members = [member_make() for _ in range(3)]
    fast = bulk._rows_copy_postgresql(MemberStatusChange, _STATUS_FIELDS, _status_rows(members, 2024), with_ids=True)
    slow = bulk._rows_copy_portable(MemberStatusChange, _STATUS_FIELDS, _status_rows(members, 2024 + 1), with_ids=True)
    assert len(fast) == len(slow) == 3 and fast == sorted(fast) and slow == sorted(slow)
    shifted = [(r[0], r[1], r[2].replace(year=2024 + 1), *r[3:]) for r in _stored(fast)]
    assert shifted == _stored(slow) and _stored(slow)[0][3] == "tab\there 0"
    jobs_fast = bulk._rows_copy_postgresql(Job, ("kind", "params", "created_at"), _job_rows(2), with_ids=True)
    jobs_slow = bulk._rows_copy_portable(Job, ("kind", "params", "created_at"), _job_rows(2), with_ids=True)
    assert _jobs(jobs_fast) == _jobs(jobs_slow) == [(f"kind{i}", {"n": i, "text": "é\n"}, JobState.QUEUED, None,
                                                    {}, 0, "", _AT) for i in range(2)]  # fmt: skip


@pytest.mark.postgres
@needs_postgresql
def test_it_copies_rows_without_ids_as_the_portable_insert() -> None:
    before = set(Job.objects.values_list("pk", flat=True))
    assert bulk._rows_copy_postgresql(Job, ("kind", "params", "created_at"), _job_rows(2), with_ids=False) == []
    assert bulk._rows_copy_portable(Job, ("kind", "params", "created_at"), _job_rows(2), with_ids=False) == []
    new = sorted(set(Job.objects.values_list("pk", flat=True)) - before)
    stored = _jobs(new)
    assert len(stored) == 4 and stored[:2] == stored[2:]


def test_it_inserts_plain_tuples_and_returns_their_ids_in_order() -> None:
    members = [member_make() for _ in range(2)]
    ids = bulk.rows_copy(MemberStatusChange, _STATUS_FIELDS, _status_rows(members, 2023), with_ids=True)
    stored = _stored(ids)
    assert [r[0] for r in stored] == [m.pk for m in members]
    assert stored[1] == (members[1].pk, MemberStatus.SUSPENDED, dt.date(2023, 1, 2), "tab\there 1", None, _AT)
    assert bulk.rows_copy(MemberStatusChange, _STATUS_FIELDS, [], with_ids=True) == []


def test_it_refuses_a_row_missing_a_required_column() -> None:
    with pytest.raises(ValueError, match="valid_from needs a value"):
        bulk.rows_copy(MemberStatusChange, ("member_id", "status"), [(member_make().pk, MemberStatus.ACTIVE)])


@pytest.mark.postgres
@needs_postgresql
def test_it_filters_by_an_array_as_the_portable_in_list() -> None:
    members = [member_make() for _ in range(3)]
    wanted = [members[0].matricule, members[2].matricule, "none"]
    fast = Member.objects.filter(bulk._one_of_postgresql(Member, "matricule", wanted)).order_by("pk")
    slow = Member.objects.filter(bulk._one_of_portable("matricule", wanted)).order_by("pk")
    assert list(fast) == list(slow) == [members[0], members[2]]
    ids = [members[1].pk, members[2].pk]
    sql = "SELECT id FROM members_member WHERE {} ORDER BY id"
    found = [bulk.rows_fetch(sql.format(w), p) for w, p in (bulk._column_in_postgresql("id", ids),
                                                             bulk._column_in_portable("id", ids))]  # fmt: skip
    assert found[0] == found[1] == [(members[1].pk,), (members[2].pk,)]


def test_it_reads_dates_and_booleans_typed_alike_on_every_database() -> None:
    member = member_make(joined_on=dt.date(2021, 5, 6))
    where, params = bulk.column_in("id", [member.pk])
    sql = f"SELECT id, joined_on, from_other_amo FROM members_member WHERE {where}"  # noqa: S608
    rows = bulk.rows_fetch(sql, params, dates=(1,), booleans=(2,))
    assert rows == [(member.pk, dt.date(2021, 5, 6), member.from_other_amo)]
    assert type(rows[0][1]) is dt.date and type(rows[0][2]) is bool


def _claimable() -> Any:
    return Job.objects.filter(state=JobState.QUEUED)


@pytest.mark.postgres
@needs_postgresql
def test_it_claims_the_same_rows_with_skip_locked_as_with_a_conditional_update() -> None:
    first, second, third = (Job.objects.create(kind="k") for _ in range(3))
    running = {"state": JobState.RUNNING, "locked_by": "w", "updated_at": timezone.now()}
    assert bulk._row_claim_postgresql(_claimable, running) == first.pk
    assert bulk._row_claim_portable(_claimable, running) == second.pk
    assert bulk._row_claim_postgresql(_claimable, running) == third.pk
    assert bulk._row_claim_portable(_claimable, running) is None
    assert bulk._row_claim_postgresql(_claimable, running) is None
    assert set(Job.objects.values_list("state", "locked_by")) == {(JobState.RUNNING, "w")}


def test_it_claims_each_row_once() -> None:
    job = Job.objects.create(kind="k")
    assert bulk.row_claim(_claimable, {"state": JobState.RUNNING}) == job.pk
    assert bulk.row_claim(_claimable, {"state": JobState.RUNNING}) is None


def test_it_writes_each_distinct_json_value_once_and_escapes_it_for_copy() -> None:
    from mutuelle.bulk import COPY_NULL, CopyJson

    js = CopyJson()
    calls: list[int] = []

    def trace() -> list[str]:
        calls.append(1)
        return ["a\tb"]

    assert js(("X",)) == '["X"]' and js(None) == COPY_NULL and js.mapping(None) == COPY_NULL
    assert js(("k",), trace) == js(("k",), trace) == '["a\\\\tb"]' and calls == [1]  # serialised once, escaped
    assert js.mapping({"status": "paid", "version": 2}) == '{"status": "paid", "version": 2}'
    assert js.mapping({"nested": [1]}) == '{"nested": [1]}'  # unhashable: written without the memo


@needs_postgresql
@pytest.mark.postgres
@pytest.mark.parametrize("n", [3, bulk.ARRAY_ROWS + 6])
def test_it_updates_from_arrays_or_a_copied_table_alike(n: int) -> None:
    """A few rows come as arrays (unnest), many through a temporary table filled by COPY: the same
    UPDATE ... FROM gives the same rows, JSON included."""
    import json

    with connection.cursor() as cur:
        cur.execute("CREATE TEMP TABLE bulk_target (id bigint, n bigint, j jsonb) ON COMMIT DROP")
        cur.execute("INSERT INTO bulk_target SELECT g, 0, '[]' FROM generate_series(1, 100) g")
    rows = [(i, i * 7, ["r", "é", str(i)]) for i in range(1, n + 1)]
    source = bulk.update_source(
        name="_bulk_test",
        columns=[("id", "bigint"), ("n", "bigint"), ("j", "jsonb")],
        rows=rows,
        values=lambda r: (r[0], r[1], json.dumps(r[2], ensure_ascii=False)),
        copy=lambda: "".join(f"{i}\t{v}\t{bulk.copy_escape(json.dumps(j, ensure_ascii=False))}\n" for i, v, j in rows),
    )
    assert (source.sql == "_bulk_test") is (n > bulk.ARRAY_ROWS)
    with connection.cursor() as cur:
        cur.execute(f"UPDATE bulk_target t SET n = s.n, j = s.j FROM {source.sql} s WHERE t.id = s.id", source.params)  # noqa: S608
        assert cur.rowcount == n
        cur.execute("SELECT id, n, j FROM bulk_target WHERE n > 0 ORDER BY id")
        found = [(i, v, json.loads(j)) for i, v, j in cur.fetchall()]  # Django reads jsonb as text
    assert found == [(i, i * 7, ["r", "é", str(i)]) for i in range(1, n + 1)]
