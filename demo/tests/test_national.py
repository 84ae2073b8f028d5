"""`demo --scale national --members N`: a national-shaped set on PostgreSQL (COPY)."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command
from django.db import connection

from demo import data
from members.models import Beneficiary
from members.normalize import search_document

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

ARABIC = re.compile(r"[\u0600-\u06FF]")


@pytest.fixture
def loaded() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the national scale needs PostgreSQL")
    call_command("demo", "--scale", "national", "--members", "1000", stdout=open("/dev/null", "w"))


def _one(sql: str) -> int:
    with connection.cursor() as cur:
        cur.execute(sql)
        return int(cur.fetchone()[0])


def test_it_loads_a_national_shaped_set(loaded: None) -> None:
    # One test for the shape (counts, lines per file, both scripts, keys, mix): the load is what costs.
    assert _one("SELECT count(*) FROM members_member WHERE matricule >= '5000000'") == 1000
    assert 2700 <= _one("SELECT count(*) FROM members_beneficiary") <= 3300
    assert _one("SELECT count(*) FROM claims_claimfile") == 1500
    sql = (
        "SELECT count(*) FROM (SELECT file_id, count(*) n FROM claims_claimline GROUP BY file_id) x "
        "WHERE n BETWEEN 3 AND 6"
    )
    assert _one(sql) == 1500
    names = list(Beneficiary.objects.values_list("last_name", "first_name_ar")[:500])
    assert all(not ARABIC.search(latin) and ARABIC.search(arabic) for latin, arabic in names)
    assert _one("SELECT count(*) FROM members_beneficiary WHERE last_name_ar = '' OR first_name = ''") == 0
    # The search column is what the registry's own search_document makes of the same fields.
    for b in Beneficiary.objects.select_related("member").order_by("?")[:200]:
        m = b.member
        fields = (b.first_name, b.last_name, b.first_name_ar, b.last_name_ar, b.card_number, m.membership_number)
        assert b.search_text == search_document(*fields, m.matricule, m.cin)
    assert _one("SELECT count(*) FROM claims_claimfile f JOIN members_beneficiary b ON b.id = f.beneficiary_id "
                "WHERE b.member_id <> f.member_id") == 0  # fmt: skip
    assert _one("SELECT count(*) FROM claims_claimline l JOIN claims_claimfile f ON f.id = l.file_id "
                "WHERE l.member_id <> f.member_id") == 0  # fmt: skip
    assert _one("SELECT count(*) FROM claims_claimline l LEFT JOIN members_member m ON m.id = l.member_id "
                "WHERE m.id IS NULL") == 0  # fmt: skip
    assert _one("SELECT count(DISTINCT status) FROM claims_claimfile") == 5
    assert _one("SELECT count(DISTINCT provider_id) FROM claims_claimfile") > 5
    assert _one("SELECT count(DISTINCT administration_id) FROM members_member") == len(data.ADMINISTRATIONS)


def test_it_pays_every_paid_file_once_in_settled_batches_that_add_up(loaded: None) -> None:
    paid = _one("SELECT count(*) FROM claims_claimfile WHERE status = 'paid'")
    assert paid > 1000
    assert _one("SELECT count(*) FROM payments_payment WHERE state = 'paid'") == paid
    assert _one("SELECT count(*) FROM claims_claimfile f WHERE f.status = 'paid' AND 1 <> "
                "(SELECT count(*) FROM payments_paymentclaim c WHERE c.claim_id = f.id AND c.live)") == 0  # fmt: skip
    # A link's parts are the file's, a payment's amount is its link's parts, a batch's total its payments'.
    assert _one("SELECT count(*) FROM payments_paymentclaim c JOIN claims_claimfile f ON f.id = c.claim_id "
                "WHERE c.amo <> f.amo OR c.complementary <> f.complementary") == 0  # fmt: skip
    assert _one("SELECT count(*) FROM payments_payment p JOIN payments_paymentclaim c ON c.payment_id = p.id "
                "WHERE p.amount <> c.amo + c.complementary") == 0  # fmt: skip
    assert _one("SELECT count(*) FROM payments_paymentbatch b WHERE b.state = 'settled' AND "
                "(b.payment_count, b.total) <> (SELECT count(*), coalesce(sum(amount), 0) "
                "FROM payments_payment p WHERE p.batch_id = b.id)") == 0  # fmt: skip
    # Third-party payment pays the provider, the rest the member's account.
    assert _one("SELECT count(*) FROM payments_payment p JOIN payments_paymentclaim c ON c.payment_id = p.id "
                "JOIN claims_claimfile f ON f.id = c.claim_id WHERE (f.channel = 'provider') <> "
                "(p.provider_id IS NOT NULL)") == 0  # fmt: skip


@pytest.mark.django_db
def test_it_refuses_the_national_scale_on_sqlite() -> None:
    from django.core.management.base import CommandError

    if connection.vendor == "postgresql":
        pytest.skip("the refusal is SQLite's")
    with pytest.raises(CommandError, match="PostgreSQL"):
        call_command("demo", "--scale", "national", "--members", "10")
