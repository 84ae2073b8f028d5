"""From database rows to the engine's dataclasses and back (no decisions taken here)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

from claims import engine as e
from claims.models import AldRecognition, ClaimFile, ClaimLine, ClaimStatus, LineStatus, PriorApproval

# Files whose accepted lines count for duplicates, frequencies and ceilings.
DECIDED = (ClaimStatus.ADJUDICATED, ClaimStatus.MEDICAL_REVIEW, ClaimStatus.APPROVED, ClaimStatus.IN_PAYMENT,
           ClaimStatus.PAID)  # fmt: skip


def to_decimal(centimes: int) -> Decimal:
    return Decimal(centimes).scaleb(-2)


def facts_for(claim: ClaimFile, ald: tuple[str, ...] = ()) -> e.BeneficiaryFacts:
    """The beneficiary as the engine sees it (member and beneficiary must be fetched with the file)."""
    member, ben = claim.member, claim.beneficiary
    status = member.status
    return e.BeneficiaryFacts(
        beneficiary_id=str(ben.pk),
        relation=ben.relation,
        birth_date=ben.birth_date,
        member_joined=member.joined_on,
        member_status=status,
        from_other_amo=member.from_other_amo,
        student_until=ben.school_certificate_until,
        disabled=ben.disabled,
        ald=ald,
        member_died_on=member.status_since if status == "deceased" else None,
    )


def engine_line(line: ClaimLine, approval: str | None) -> e.ClaimLine:
    unit = line.unit_price
    return e.ClaimLine(
        ref=str(line.pk),
        kind=line.kind,
        date=line.care_date,
        paid=e.to_centimes(line.paid),
        code=line.code,
        coefficient_x100=e.to_hundredths(line.coefficient),
        quantity=line.quantity,
        unit_price=e.to_centimes(unit) if unit is not None else None,
        ald=line.ald or None,
        prior_approval=approval,
        treatment_end=line.treatment_end,
        inpatient=line.inpatient,
    )


def engine_provider(claim: ClaimFile) -> e.Provider:
    return e.Provider(sector=claim.provider_sector, kind=claim.provider_kind, inpe=claim.provider_inpe or None)


class Approvals:
    """Granted prior approvals of a set of beneficiaries, consumed as lines use them."""

    def __init__(self, beneficiary_ids: Iterable[int]) -> None:
        ids = [a for a in beneficiary_ids]
        self.rows = {a.pk: a for a in PriorApproval.objects.filter(beneficiary_id__in=ids, status="granted")}
        self.left = {pk: a.quantity_granted - a.quantity_consumed for pk, a in self.rows.items()}

    def valid_ref(self, claim: ClaimFile, line: ClaimLine) -> str | None:
        a = self.rows.get(line.prior_approval_id) if line.prior_approval_id else None
        if a is None or a.beneficiary_id != claim.beneficiary_id or a.code != line.code or a.kind != line.kind:
            return None
        if a.valid_from is None or a.valid_to is None or not a.valid_from <= line.care_date <= a.valid_to:
            return None
        if self.left[a.pk] < line.quantity:
            return None
        self.left[a.pk] -= line.quantity
        return str(a.pk)


def ald_codes(claims: list[ClaimFile]) -> dict[int, tuple[str, ...]]:
    out: dict[int, list[str]] = defaultdict(list)
    rows = AldRecognition.objects.filter(beneficiary_id__in={c.beneficiary_id for c in claims})
    for r in rows.values_list("beneficiary_id", "code", "valid_from", "valid_to"):
        out[r[0]].append(r[1])
    return {k: tuple(v) for k, v in out.items()}


def history_for(*, beneficiary_ids: set[int], exclude_files: set[int], snapshot: e.Snapshot) -> e.History:
    """What earlier accepted lines of these beneficiaries left: duplicates, counts, ceilings used."""
    rows = (
        ClaimLine.objects.filter(
            file__beneficiary_id__in=beneficiary_ids,
            file__status__in=DECIDED,
            status__in=(LineStatus.ACCEPTED, LineStatus.REDUCED),
        )
        .exclude(file_id__in=exclude_files)
        .values_list(
            "file__beneficiary_id",
            "file__provider_inpe",
            "file__provider_sector",
            "file__provider_kind",
            "kind",
            "code",
            "care_date",
            "quantity",
            "unit_price",
            "complementary",
            "status",
            "pk",
        )
    )
    items: list[tuple[Any, e.ClaimLine, e.LineDecision]] = []
    for bid, inpe, sector, kind_p, kind, code, care, qty, unit, compl, status, pk in rows:
        f = SimpleNamespace(
            beneficiary=SimpleNamespace(beneficiary_id=str(bid)),
            provider=e.Provider(sector=sector, kind=kind_p, inpe=inpe or None),
        )
        line = e.ClaimLine(
            ref=str(pk), kind=kind, date=care, paid=0, code=code, quantity=qty,
            unit_price=e.to_centimes(unit) if unit is not None else None,
        )  # fmt: skip
        c = e.to_centimes(compl)
        items.append((f, line, e.LineDecision(str(pk), status, 0, 0, 0, c, 0, (), ())))
    return e.history_from_accepted(items, snapshot)


def engine_files(claims: list[ClaimFile], approvals: Approvals) -> list[e.ClaimFile]:
    """Files with `lines` prefetched, `member` and `beneficiary` selected."""
    ald = ald_codes(claims)
    out = []
    for c in claims:
        lines = tuple(engine_line(ln, approvals.valid_ref(c, ln)) for ln in c.lines.all())
        out.append(
            e.ClaimFile(
                ref=str(c.pk),
                beneficiary=facts_for(c, ald.get(c.beneficiary_id, ())),
                filed_on=c.filed_on,
                filed_by=c.filed_by,
                provider=engine_provider(c),
                lines=lines,
            )
        )
    return out


def first_care(claim: ClaimFile) -> date:
    return min((ln.care_date for ln in claim.lines.all()), default=claim.filed_on)
