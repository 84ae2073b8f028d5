"""Demo: one example of each control signal (reports.controls) for `medecin` to find, made through the
real services (files taken in and adjudicated, an approval requested and granted).

- the same consultation of one beneficiary on one day, billed by two doctors (cross-file duplicate);
- five general consultations of one beneficiary within 30 days (frequency);
- Dr Adil Kettani (Kénitra, region Rabat-Salé-Kénitra, with two peers in Rabat and Salé) filing two
  files of ten lines for each of five patients (lines per patient far above the peers' median);
- ten intensive-care days granted for 90 days, eight used in the first days (approval pace).

Dated from the day the demo is loaded. Idempotent: the granted approval's justification marks that
the examples exist.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.test.utils import override_settings
from django.utils import timezone

from accounts.models import Provider
from claims.models import Channel, PriorApproval
from claims.services import claim_adjudicate, claim_create
from claims.services.approvals import prior_approval_decide, prior_approval_request
from claims.services.intake import LineInput
from demo.claims import Staff
from demo.members import FIRST_MATRICULE
from members.models import Beneficiary, MemberStatus
from members.selectors import beneficiary_eligibility
from referentials.models import Medicine

MARK = "Démo contrôles : surveillance post-opératoire prolongée"
OUTLIER = "Dr Adil Kettani, orthopédie"
D = Decimal


def _holders(offsets: range, *, on: dt.date, since: dt.date) -> list[Beneficiary]:
    """Demo members' holders covered from `since` to `on` (rights suspended for arrears, say, would
    turn the example into a refusal)."""
    found = Beneficiary.objects.filter(
        member__matricule__in=[f"{FIRST_MATRICULE + i}" for i in offsets], rank=0,
        member__status__in=[MemberStatus.ACTIVE, MemberStatus.RETIRED],
    ).select_related("member").order_by("member__matricule")  # fmt: skip
    return [b for b in found if all(beneficiary_eligibility(beneficiary=b, on=d).covered for d in (since, on))]


def _file(
    st: Staff, ben: Beneficiary, provider: Provider | None, lines: list[LineInput], *, channel: str = Channel.COUNTER
) -> None:
    filed = min(max(line.care_date for line in lines) + dt.timedelta(days=3), timezone.localdate())
    claim = claim_create(actor=st.reception, beneficiary=ben, filed_on=filed, channel=channel, lines=lines,
                         provider=provider)  # fmt: skip
    claim_adjudicate(actor=None, claim=claim)


def _cons(code: str, day: dt.date, paid: str) -> LineInput:
    return LineInput(kind="act", code=code, care_date=day, paid=D(paid))


def demo_controls_ensure() -> int:
    """The four examples (0 when they are there already or the demo has too few members)."""
    if PriorApproval.objects.filter(justification=MARK).exists():
        return 0
    today = timezone.localdate()
    covered = _holders(range(21, 61), on=today, since=today - dt.timedelta(days=80))
    doctors = list(Provider.objects.filter(kind="doctor").order_by("inpe"))
    outlier = next((p for p in doctors if p.name == OUTLIER), None)
    if len(covered) < 8 or len(doctors) < 3 or outlier is None:
        return 0
    (dup, busy, stay), patients = covered[:3], covered[3:8]
    others = [p for p in doctors if p != outlier]
    meds = list(Medicine.objects.filter(reimbursable=True, needs_prior_approval=False).order_by("code")[:8])
    st = Staff.load()
    # Dated from the day the demo is loaded, not from the demo's fixed "today": the page's default
    # period is the twelve months up to the latest stored care, which other demo parts (the Amal
    # centres' sessions) date from the real day.
    with override_settings(CLAIMS_NOTIFY=False, CLAIMS_REVIEW_SAMPLE_SHARE="0"):
        day = today - dt.timedelta(days=20)
        _file(st, dup, others[0], [_cons("CONS-G", day, "150.00")])
        _file(st, dup, others[1], [_cons("CONS-G", day, "150.00")], channel=Channel.POST)
        for ago in (30, 24, 18, 12, 6):
            _file(st, busy, others[0], [_cons("CONS-G", today - dt.timedelta(days=ago), "150.00")])
        for k, ben in enumerate(patients):  # five patients, two files of ten lines each
            for ago in (70 - 5 * k, 35 - 5 * k):
                on = today - dt.timedelta(days=ago)
                lines = [_cons("CONS-S", on, "300.00"), _cons("ECG", on, "200.00")]
                price = [m.public_price for m in meds]
                lines += [LineInput(kind="medicine", code=m.code, care_date=on, unit_price=p, paid=p)
                          for m, p in zip(meds, price, strict=True)]  # fmt: skip
                _file(st, ben, outlier, lines)
        pa = prior_approval_request(
            actor=st.reception, beneficiary=stay, kind="stay", code="JOUR-REA", justification=MARK
        )
        start = today - dt.timedelta(days=10)
        prior_approval_decide(actor=st.doctor, approval=pa, grant=True, note="Accord", valid_from=start,
                              valid_to=start + dt.timedelta(days=89), quantity=10, amount=15000)  # fmt: skip
        clinic = Provider.objects.filter(kind="clinic").order_by("inpe").first()
        on = start + dt.timedelta(days=1)
        rea = LineInput(kind="stay", code="JOUR-REA", care_date=on, quantity=8, paid=D("12000.00"),
                        treatment_end=on + dt.timedelta(days=8))  # fmt: skip
        _file(st, stay, clinic, [rea], channel=Channel.POST)
    return 4
