"""The set-based PostgreSQL preparation (prepare_sql, with the IBAN rule in SQL) stores the same
rows as the portable one. Two identical datasets, one prepared on each path; the rows are compared
with ids, numbers and account numbers replaced by their place in the dataset."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, NamedTuple

import pytest
from django.db import connection
from django.utils import timezone

from accounts.models import Provider
from audit.models import AuditEvent
from claims.models import ClaimFile, ClaimTransition
from members.models import Member
from members.rib import iban_from_rib
from payments.models import BatchKind, Payment, PaymentClaim, PaymentWithholding, ProviderAccount
from payments.services import payment_batch_prepare
from payments.tests.factories import claim_make, member_make, provider_make

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the fast path is PostgreSQL's"),
]


class Dataset(NamedTuple):
    members: list[int]
    providers: list[int]
    claims: list[str]
    advances: list[str]


# (member's place, claim's place among theirs, advance, already repaid): advances on care paid out and tied
# to a claim file, withheld from its reimbursement (payments.withholding): one owed less than the file
# reimburses, one more, two on the same file (the second gets what the first left).
ADVANCES = [(1, 0, "5.00", "0.00"), (2, 1, "300.00", "250.00"), (4, 1, "9.00", "0.00"), (4, 1, "50.00", "0.00")]


def _advances(members: list[int], claims_of: dict[int, list[ClaimFile]]) -> list[str]:
    from allowances.models import Advance, AdvanceState

    numbers = []
    for member_at, claim_at, amount, repaid in ADVANCES:
        member = Member.objects.get(pk=members[member_at])
        advance = Advance.objects.create(
            number=f"AV{Advance.objects.count() + 1:08d}", member=member, quote_reference="DEVIS",
            quote_amount=Decimal(amount), amount=Decimal(amount), repaid=Decimal(repaid), rib=member.rib or "0" * 24,
            claim=claims_of[member.pk][claim_at], state=AdvanceState.PAID, created_at=timezone.now(),
        )  # fmt: skip
        numbers.append(advance.number)
    return numbers


def _dataset() -> Dataset:
    members, providers, claims = [], [], []
    claims_of: dict[int, list[ClaimFile]] = {}
    for i in range(7):
        member = member_make(first_name="Fatima")
        members.append(member.pk)
        made = [claim_make(member, amo=f"{10 + i}.{j}5", complementary=f"{j}.10") for j in range(i % 3 + 1)]
        claims_of[member.pk] = made
        claims += [c.number for c in made]
    for _ in range(2):
        member = member_make(rib="")
        members.append(member.pk)
        claims.append(claim_make(member, amo="50.00", complementary="5.00").number)
    provider = provider_make()
    providers.append(provider.pk)
    for i in range(3):
        member = member_make()
        members.append(member.pk)
        claims.append(claim_make(member, amo=f"{20 + i}.00", complementary="0.00", provider=provider).number)
    return Dataset(members, providers, claims, _advances(members, claims_of))


def _prepared(data: Dataset, kind: str, *, sql: bool, preparer: Any) -> dict[str, Any]:
    audit_mark = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    batch = payment_batch_prepare(actor=preparer, kind=kind, chunk_size=2, sql=sql)
    member_at = {pk: f"m{i}" for i, pk in enumerate(data.members)}
    provider_at = {pk: f"p{i}" for i, pk in enumerate(data.providers)}
    claim_at = {n: f"c{i}" for i, n in enumerate(data.claims)}

    def plain(text: str) -> str:
        for number, place in claim_at.items():
            text = text.replace(number, place)
        return text.replace(batch.number, "PB")

    names = {
        name: provider_at[pk] for pk, name in Provider.objects.filter(pk__in=data.providers).values_list("pk", "name")
    }
    ribs = dict(Member.objects.filter(pk__in=data.members).values_list("pk", "rib"))
    ribs |= {-pk: rib for pk, rib in ProviderAccount.objects.values_list("provider_id", "rib")}
    payments = []
    for p in Payment.objects.filter(batch=batch).order_by("end_to_end_id"):
        payee = p.member_id if p.member_id is not None else -p.provider_id  # type: ignore[operator]
        assert p.rib == ribs.get(payee, "") and p.iban == (iban_from_rib(p.rib) if p.rib else "")
        payee_name = names.get(p.payee_name, p.payee_name)
        payments.append(
            (member_at.get(p.member_id), provider_at.get(p.provider_id), payee_name, bool(p.rib), p.amount, p.amo,
             p.complementary, p.withheld, plain(p.end_to_end_id), plain(p.remittance), p.state)
        )  # fmt: skip
    advance_at = {n: f"a{i}" for i, n in enumerate(data.advances)}
    withheld = sorted(
        (plain(e2e), claim_at[number], member_at[member], advance_at[label], str(amount))
        for e2e, number, member, label, amount in PaymentWithholding.objects.filter(payment__batch=batch).values_list(
            "payment__end_to_end_id", "claim__number", "member_id", "label", "amount"
        )
    )
    links = sorted(
        (plain(e2e), claim_at[number], member_at[member], str(amo), str(comp), live)
        for e2e, number, member, amo, comp, live in PaymentClaim.objects.filter(payment__batch=batch).values_list(
            "payment__end_to_end_id", "claim__number", "member_id", "amo", "complementary", "live"
        )
    )
    steps = sorted(
        (claim_at[t.file.number], t.from_status, t.to_status, t.version, t.reason_code, plain(str(t.reason_params)))
        for t in ClaimTransition.objects.filter(file__number__in=data.claims).select_related("file")
    )
    files = sorted((claim_at[n], s, v) for n, s, v in ClaimFile.objects.filter(number__in=data.claims).values_list(
        "number", "status", "version"))  # fmt: skip
    numbers = {str(pk): n for pk, n in ClaimFile.objects.filter(number__in=data.claims).values_list("pk", "number")}
    audits = sorted(
        (a.action, claim_at[numbers[a.object_id]], member_at[a.member_id], str(a.before), str(a.after))
        for a in AuditEvent.objects.filter(pk__gt=audit_mark, object_type="claims.claimfile")
    )
    totals = (batch.state, batch.payment_count, batch.total, batch.total_amo, batch.total_complementary,
              batch.total_withheld)  # fmt: skip
    return {"payments": payments, "links": links, "steps": steps, "files": files, "audits": audits, "totals": totals,
            "withheld": withheld}  # fmt: skip


@pytest.mark.parametrize("kind", [BatchKind.MEMBER_TRANSFER, BatchKind.POSTAL_ORDER, BatchKind.PROVIDER_TRANSFER])
def test_it_prepares_the_same_rows_on_both_paths(accountants: tuple[Any, Any], kind: str) -> None:
    portable = _prepared(_dataset(), kind, sql=False, preparer=accountants[0])
    fast = _prepared(_dataset(), kind, sql=True, preparer=accountants[0])
    assert portable["payments"] and portable["steps"] and portable["audits"]  # this kind pays something
    assert fast == portable


def test_it_withholds_the_same_advances_on_both_paths(accountants: tuple[Any, Any]) -> None:
    """The figures by hand (chunks of 2 payees, so the advances fall in different chunks):
    m1's first file reimburses 11.05 + 0.10 = 11.15, less the 5.00 advance: 6.15 withheld 5.00;
    m2's second file 12.15 + 1.10 = 13.25, advance owed 300.00 - 250.00 = 50.00: all 13.25 withheld;
    m4's second file 14.15 + 1.10 = 15.25: 9.00 to the first advance, the 6.25 left to the second."""
    portable = _prepared(_dataset(), BatchKind.MEMBER_TRANSFER, sql=False, preparer=accountants[0])
    fast = _prepared(_dataset(), BatchKind.MEMBER_TRANSFER, sql=True, preparer=accountants[0])
    expected = [("a0", "5.00"), ("a1", "13.25"), ("a2", "9.00"), ("a3", "6.25")]
    assert sorted((line[3], line[4]) for line in portable["withheld"]) == expected
    withheld = {p[0]: p[7] for p in portable["payments"] if p[7]}
    assert withheld == {"m1": Decimal("5.00"), "m2": Decimal("13.25"), "m4": Decimal("15.25")}
    assert portable["totals"][5] == Decimal("33.50")
    assert fast == portable
