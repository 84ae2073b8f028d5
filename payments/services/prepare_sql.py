"""One chunk of a batch's preparation as two set-based statements (PostgreSQL).

The claims' transition service moves the chunk's claim files from "approved" to "in payment" in
one statement (their transitions and audit events with them) and leaves them in a temporary
table; one statement then inserts, from that table, one payment per payee and the payment's claim
links. No CTE is joined to another (a CTE has no statistics, so such a join may be planned as a
nested loop): each payment's id is drawn with its group, and the links unnest the group's arrays.

The move re-checks `status = 'approved'` on the row it locks, so a file moved meanwhile by
anyone else is skipped, and the partial unique index still allows one live payment per claim.
The figures are those of the row-by-row path (payments.services.prepare) on other databases:
the same payee name, RIB and IBAN (members.rib.iban_from_rib, written in SQL), amounts,
"<batch>-<seq:07d>" references and remittance text.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import connection
from django.db.models import QuerySet

from accounts.models import Provider
from claims.models import ClaimFile, ClaimStatus
from claims.services.transitions import By, Reason, claims_transition_selected
from members.models import Beneficiary, Member, Relation
from mutuelle.bulk import insert_select_sql
from mutuelle.types import Actor
from payments.bankfiles.types import SEPA_TEXT_MAX
from payments.models import BatchKind, Payment, PaymentBatch, PaymentClaim, ProviderAccount


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def _payees_sql(kind: str) -> str:
    """FROM clause giving, for each `grouped` payee, `payee_name` and `rib` (as _names/_ribs do)."""
    if kind == BatchKind.PROVIDER_TRANSFER:
        account, provider = _q(ProviderAccount._meta.db_table), _q(Provider._meta.db_table)
        return (
            f"grouped LEFT JOIN {account} a ON a.provider_id = grouped.payee "
            f"LEFT JOIN {provider} pr ON pr.id = a.provider_id "
            "CROSS JOIN LATERAL (SELECT pr.name AS payee_name, a.rib AS rib) x"
        )
    member, beneficiary = _q(Member._meta.db_table), _q(Beneficiary._meta.db_table)
    return (
        f"grouped LEFT JOIN {member} m ON m.id = grouped.payee "
        f"LEFT JOIN {beneficiary} b ON b.member_id = grouped.payee AND b.relation = '{Relation.SELF.value}' "
        "CROSS JOIN LATERAL (SELECT b.first_name || ' ' || b.last_name AS payee_name, m.rib AS rib) x"
    )


def prepare_chunk_sql(
    *,
    actor: Actor,
    batch: PaymentBatch,
    field: str,
    in_range: QuerySet[ClaimFile],
    low: int,
    high: int,
    seq: int,
    reason: Reason,
    now: dt.datetime,
) -> int:
    """Pay every payable claim file of `in_range`, payees in (low, high] (caller's transaction).

    Returns the new payment count of the batch.
    """
    moved = claims_transition_selected(
        actor=actor, selection=in_range, span=(field, low, high), frm=ClaimStatus.APPROVED, to=ClaimStatus.IN_PAYMENT,
        by=By.BATCH, reason=reason, into="_paid_claims", now=now,
    )  # fmt: skip
    if not moved:
        return seq
    member_payee = field == "member_id"
    # 98 - (RIB followed by "MA00" as digits) mod 97, two digits: members.rib.iban_from_rib.
    check = "lpad((98 - mod((x.rib || '221000')::numeric, 97))::text, 2, '0')"
    iban = f"CASE WHEN x.rib = '' THEN '' ELSE 'MA' || {check} || x.rib END"
    ref = "lpad(grouped.seq::text, greatest(7, length(grouped.seq::text)), '0')"
    pay_sql, pay_params = insert_select_sql(
        Payment,
        {
            "id": "grouped.payment_id",
            "batch_id": "%s",
            "member_id": "grouped.payee" if member_payee else "NULL",
            "provider_id": "NULL" if member_payee else "grouped.payee",
            "payee_name": f"left(coalesce(x.payee_name, grouped.payee::text), {SEPA_TEXT_MAX})",
            "rib": "coalesce(x.rib, '')",
            "iban": f"coalesce({iban}, '')",
            "amount": "grouped.amo + grouped.comp",
            "amo": "grouped.amo",
            "complementary": "grouped.comp",
            "end_to_end_id": f"%s || '-' || {ref}",
            "remittance": "grouped.remittance",
        },
    )
    link_sql, link_params = insert_select_sql(
        PaymentClaim,
        {
            "payment_id": "grouped.payment_id",
            "claim_id": "c.id",
            "member_id": "c.member_id",
            "amo": "c.amo",
            "complementary": "c.complementary",
            "live": "TRUE",
        },
    )
    # Only identifiers and the ORM's own SQL are formatted in; every value is a parameter.
    sql = f"""
        WITH grouped AS (
            SELECT {field} AS payee, sum(amo) AS amo, sum(complementary) AS comp,
                   left(string_agg(number, ', ' ORDER BY id), {SEPA_TEXT_MAX}) AS remittance,
                   %s + row_number() OVER (ORDER BY {field}) AS seq,
                   nextval(pg_get_serial_sequence(%s, %s)) AS payment_id,
                   array_agg(id ORDER BY id) AS claim_ids, array_agg(member_id ORDER BY id) AS member_ids,
                   array_agg(amo ORDER BY id) AS amos, array_agg(complementary ORDER BY id) AS comps
            FROM _paid_claims GROUP BY {field}
        ), paid AS (
            {pay_sql} FROM {_payees_sql(batch.kind)} ORDER BY grouped.seq
        ), links AS (
            {link_sql}
            FROM grouped, unnest(grouped.claim_ids, grouped.member_ids, grouped.amos, grouped.comps)
                AS c(id, member_id, amo, complementary)
        )
        SELECT coalesce(max(seq), %s) FROM grouped
    """  # noqa: S608
    params: list[Any] = [seq, Payment._meta.db_table, "id"]
    params += [batch.pk, batch.number, *pay_params, *link_params]
    params.append(seq)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return int(cursor.fetchone()[0])
