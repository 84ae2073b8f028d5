"""Preparing a batch: gather what is payable, one payment per payee, claims moved to "in payment".

Work is done in chunks of payees, each chunk in one transaction. A chunk only takes claim
files still "approved" and the partial unique index allows one live payment per claim, so a
run killed at any point and restarted never pays anything twice.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from typing import Any, NamedTuple

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet, Sum
from django.utils import timezone

from audit.services import AuditAction, audit_record, model_snapshot
from claims.models import Channel, ClaimFile, ClaimStatus
from claims.services.transitions import By, ClaimTransitionError, Reason, Step, claims_transition
from members.models import Beneficiary, Relation
from mutuelle import bulk
from payments.bankfiles.types import SEPA_TEXT_MAX
from payments.models import BatchKind, BatchState, Payment, PaymentBatch, PaymentClaim, ProviderAccount
from payments.services.batches import batch_transition_apply
from payments.services.common import require_perm
from payments.services.errors import MSG_NOTHING, MSG_STATE, PaymentError
from payments.services.prepare_sql import prepare_chunk_sql
from payments.services.requeue import payments_requeue_corrected
from payments.services.source_batches import sources_prepare_chunk
from payments.services.withheld import withheld_only_release, withhold_payments
from payments.sources import source_kinds, sources_payable_exist
from referentials.selectors import basic_payer_on

CHUNK_PAYEES = 25_000
PAYMENT_FIELDS = (
    "batch_id",
    "member_id",
    "provider_id",
    "payee_name",
    "rib",
    "iban",
    "amount",
    "amo",
    "complementary",
    "end_to_end_id",
    "remittance",
)
ZERO = Decimal("0.00")


class PayableRow(NamedTuple):
    """A claim file of a chunk, as it is paid."""

    id: int
    number: str
    member_id: int
    provider_id: int | None
    amo: Decimal
    complementary: Decimal
    version: int


def batch_reason(batch: PaymentBatch) -> Reason:
    """Why a batch moves its files (the history shows it in the reader's language)."""
    return Reason("batch", {"number": batch.number})


def payable_claims(kind: str) -> QuerySet[ClaimFile]:
    """Approved claim files with something to pay, for the payees of this kind of batch."""
    qs = ClaimFile.objects.filter(status=ClaimStatus.APPROVED).filter(Q(amo__gt=0) | Q(complementary__gt=0))
    if kind == BatchKind.PROVIDER_TRANSFER:
        return qs.filter(channel=Channel.PROVIDER, provider__bank_account__isnull=False)
    qs = qs.exclude(channel=Channel.PROVIDER)
    if kind == BatchKind.MEMBER_TRANSFER:
        return qs.exclude(member__rib="")
    return qs.filter(member__rib="")


def _payee_field(kind: str) -> str:
    return "provider_id" if kind == BatchKind.PROVIDER_TRANSFER else "member_id"


def payment_batch_start(
    *, actor: Any, kind: str, execution_date: dt.date | None = None, now: dt.datetime | None = None
) -> PaymentBatch:
    """Create an empty batch in "preparing" state; the chunks (a job) fill it."""
    with transaction.atomic(durable=True):
        return _batch_create(actor=actor, kind=kind, execution_date=execution_date, now=now)


def debtor_name_for(*, kind: str, on: dt.date) -> str:
    """The initiating party of a bank file: the mutual, and for claim reimbursements the basic-insurance
    payer it pays for by delegation (referentials.BasicPayer in force on the preparation day). Stored on
    the batch at preparation, so every export gives the same bytes."""
    name = str(settings.MUTUELLE_DEBTOR_NAME)
    payer = basic_payer_on(on=on) if kind not in source_kinds() else None
    if payer is not None and payer.by_delegation:
        name = f"{name} pour compte {payer.code}"
    return name[:SEPA_TEXT_MAX]


def _batch_create(*, actor: Any, kind: str, execution_date: dt.date | None, now: dt.datetime | None) -> PaymentBatch:
    """payment_batch_start's writes, inside the caller's transaction."""
    require_perm(actor, "payments.prepare_paymentbatch")
    if kind not in BatchKind.values:
        raise PaymentError(MSG_NOTHING, code="kind")
    now = now or timezone.now()
    payments_requeue_corrected(actor=actor)
    if not (sources_payable_exist(kind) if kind in source_kinds() else payable_claims(kind).exists()):
        raise PaymentError(MSG_NOTHING, code="nothing")
    batch = PaymentBatch.objects.create(
        number=f"TMP{now.timestamp()}"[:20],
        kind=kind,
        execution_date=execution_date or timezone.localdate(now) + dt.timedelta(days=1),
        debtor_name=debtor_name_for(kind=kind, on=timezone.localdate(now)),
        debtor_iban=settings.MUTUELLE_DEBTOR_IBAN,
        debtor_bic=settings.MUTUELLE_DEBTOR_BIC,
        prepared_by=actor,
        created_at=now,
    )
    batch.number = f"PB{batch.pk:08d}"
    batch.save(update_fields=["number"])
    audit_record(actor=actor, action=AuditAction.CREATE, obj=batch, after=model_snapshot(batch))
    return batch


def _names(kind: str, low: int, high: int) -> dict[int, str]:
    """Payee names for ids in (low, high]: a range, not a list of ids, keeps the query small."""
    if kind == BatchKind.PROVIDER_TRANSFER:
        accounts = ProviderAccount.objects.filter(provider_id__gt=low, provider_id__lte=high)
        return dict(accounts.values_list("provider_id", "provider__name"))
    members = Beneficiary.objects.filter(member_id__gt=low, member_id__lte=high, relation=Relation.SELF)
    rows = members.values_list("member_id", "first_name", "last_name")
    return {m: f"{first} {last}" for m, first, last in rows}


def _ribs(kind: str, low: int, high: int) -> dict[int, str]:
    if kind == BatchKind.PROVIDER_TRANSFER:
        accounts = ProviderAccount.objects.filter(provider_id__gt=low, provider_id__lte=high)
        return dict(accounts.values_list("provider_id", "rib"))
    from members.models import Member

    return dict(Member.objects.filter(pk__gt=low, pk__lte=high).values_list("pk", "rib"))


def payment_batch_prepare_chunk(
    *, actor: Any, batch: PaymentBatch, cursor: Any, size: int = CHUNK_PAYEES, sql: bool | None = None
) -> Any:
    """Add the payments of the next `size` payees (inside the caller's transaction); the new cursor.

    The cursor is {"after": last payee id, "seq": payments so far}; None once nothing is left.
    `sql`: the set-based PostgreSQL path (prepare_sql) or the portable one; by default the
    database's own. Both give the same rows (payments/tests/test_prepare_paths.py).
    """
    from members.rib import iban_from_rib

    if batch.state != BatchState.PREPARING:
        return None
    if batch.kind in source_kinds():  # allowances, advances: their app says who is paid
        return sources_prepare_chunk(actor=actor, batch=batch, cursor=cursor, size=size)
    cursor = cursor or {"after": 0, "seq": 0}
    field = _payee_field(batch.kind)
    candidates = payable_claims(batch.kind).filter(**{f"{field}__gt": cursor["after"]})
    # The payee of the size-th payable file bounds the chunk: an ordered LIMIT walks the payee
    # index and stops early, where DISTINCT would sort every remaining file at every chunk.
    payees = list(candidates.order_by(field).values_list(field, flat=True)[:size])
    if not payees:
        return None
    low, high = cursor["after"], payees[-1]
    in_range = candidates.filter(**{f"{field}__lte": high})
    if bulk.is_postgresql() if sql is None else sql:
        seq = prepare_chunk_sql(
            actor=actor,
            batch=batch,
            field=field,
            in_range=in_range,
            low=low,
            high=high,
            seq=cursor["seq"],
            reason=batch_reason(batch),
            now=timezone.now(),
        )
        withhold_payments(batch=batch, field=field, low=low, high=high)
        return {"after": high, "seq": seq}
    claims = [
        PayableRow(*row)
        for row in in_range.select_for_update(of=("self",))
        .order_by(field, "pk")
        .values_list("pk", "number", "member_id", "provider_id", "amo", "complementary", "version")
    ]
    grouped: dict[int, list[PayableRow]] = defaultdict(list)
    for row in claims:
        payee = row.provider_id if field == "provider_id" else row.member_id
        if payee is not None:  # a provider batch takes only files with a provider (payable_claims)
            grouped[payee].append(row)
    names, ribs = _names(batch.kind, low, high), _ribs(batch.kind, low, high)
    seq = cursor["seq"]
    payee_order = sorted(grouped)
    payment_rows = []
    for payee_id in payee_order:
        rows = grouped[payee_id]
        seq += 1
        amo = sum((r.amo for r in rows), ZERO)
        comp = sum((r.complementary for r in rows), ZERO)
        rib = ribs.get(payee_id, "")
        payment_rows.append(
            (
                batch.pk,
                None if field == "provider_id" else payee_id,
                payee_id if field == "provider_id" else None,
                (names.get(payee_id) or str(payee_id))[:SEPA_TEXT_MAX],
                rib,
                iban_from_rib(rib) if rib else "",
                amo + comp,
                amo,
                comp,
                f"{batch.number}-{seq:07d}",
                ", ".join(r.number for r in rows)[:SEPA_TEXT_MAX],
            )
        )
    ids = bulk.rows_copy(Payment, PAYMENT_FIELDS, payment_rows, with_ids=True)
    by_payee = dict(zip(payee_order, ids, strict=True))
    bulk.rows_copy(
        PaymentClaim,
        ("payment_id", "claim_id", "member_id", "amo", "complementary", "live"),
        [(by_payee[p], r.id, r.member_id, r.amo, r.complementary, True) for p, rows in grouped.items() for r in rows],
    )
    _claims_to_in_payment(actor=actor, batch=batch, claims=claims)
    withhold_payments(batch=batch, field=field, low=low, high=high)
    return {"after": high, "seq": seq}


def _claims_to_in_payment(*, actor: Any, batch: PaymentBatch, claims: list[PayableRow]) -> None:
    """approved -> in_payment for the chunk's files at once, through the claims' transition service.

    The row locks were taken by the caller; a file changed meanwhile makes the whole chunk fail
    (and be retried) rather than be paid from a stale state.
    """
    steps = [Step(r.id, r.member_id, ClaimStatus.APPROVED, ClaimStatus.IN_PAYMENT, r.version + 1) for r in claims]
    try:
        claims_transition(actor=actor, steps=steps, by=By.BATCH, reason=batch_reason(batch), audit_note="")
    except ClaimTransitionError as exc:
        raise PaymentError(MSG_STATE % {"state": ClaimStatus.APPROVED.label}, code="claims_changed") from exc


def payment_batch_finish(*, actor: Any, batch: PaymentBatch) -> PaymentBatch:
    """Totals and state "prepared" (inside the caller's transaction); an empty batch is cancelled.

    The job's last step, through the batch transition table like every other state change, so
    its audit event is the table's action (PREPARED, or CANCELLED for an empty batch). A batch no
    longer preparing (a resumed job finishing twice) is returned as it is.
    """
    locked = PaymentBatch.objects.select_for_update().get(pk=batch.pk)
    if locked.state != BatchState.PREPARING:
        return locked
    count = locked.payments.count()
    if count and not locked.payments.filter(amount__gt=0).exists():
        withheld_only_release(actor=actor, batch=locked)
        count = 0

    def totals(row: PaymentBatch) -> list[str]:
        sums = row.payments.aggregate(
            amo=Sum("amo"), comp=Sum("complementary"), sol=Sum("solidarity"), withheld=Sum("withheld")
        )
        row.payment_count = count
        row.total_amo = sums["amo"] or ZERO
        row.total_complementary = sums["comp"] or ZERO
        row.total_solidarity = sums["sol"] or ZERO
        row.total_withheld = sums["withheld"] or ZERO
        row.total = row.total_amo + row.total_complementary + row.total_solidarity - row.total_withheld
        fields = ["payment_count", "total_amo", "total_complementary", "total_solidarity", "total_withheld", "total"]
        if count:
            row.prepared_at = timezone.now()
            fields.append("prepared_at")
        return fields

    to = BatchState.PREPARED if count else BatchState.CANCELLED
    return batch_transition_apply(actor=actor, batch=locked, to=to, changes=totals, by_job=True)


def payment_batch_prepare(
    *,
    actor: Any,
    kind: str,
    execution_date: dt.date | None = None,
    chunk_size: int = CHUNK_PAYEES,
    sql: bool | None = None,
) -> PaymentBatch:
    """Prepare a whole batch now, in chunked commits (the job runs the same chunks)."""
    batch = payment_batch_start(actor=actor, kind=kind, execution_date=execution_date)
    payment_batch_prepare_run(actor=actor, batch=batch, chunk_size=chunk_size, sql=sql)
    batch.refresh_from_db()
    return batch


def payment_batch_prepare_run(
    *, actor: Any, batch: PaymentBatch, chunk_size: int = CHUNK_PAYEES, sql: bool | None = None
) -> None:
    cursor: Any = {"after": 0, "seq": batch.payments.count()}
    if cursor["seq"]:
        last = batch.payments.order_by("-pk").values_list("member_id", "provider_id").first()
        cursor["after"] = (last[1] if batch.kind == BatchKind.PROVIDER_TRANSFER else last[0]) if last else 0
    while cursor is not None:
        with transaction.atomic(durable=True):
            cursor = payment_batch_prepare_chunk(actor=actor, batch=batch, cursor=cursor, size=chunk_size, sql=sql)
    with transaction.atomic(durable=True):
        payment_batch_finish(actor=actor, batch=batch)


def payment_batch_prepare_enqueue(
    *, actor: Any, kind: str, execution_date: dt.date | None = None, chunk_size: int = CHUNK_PAYEES
) -> tuple[PaymentBatch, Any]:
    """Start a batch and queue the job that fills it (run by `manage.py worker`), in one
    transaction: no batch is left "preparing" without the job that fills it."""
    from jobs.services import job_enqueue

    with transaction.atomic(durable=True):
        batch = _batch_create(actor=actor, kind=kind, execution_date=execution_date, now=None)
        job = job_enqueue(
            kind="payments.prepare",
            params={"batch_id": batch.pk, "actor_id": actor.pk, "chunk_size": chunk_size},
            dedupe_key=f"payments.prepare:{batch.pk}",
        )
    return batch, job
