"""Demo of complaints and appeals (docs/readme-grievances.md): a few complaints (one answered and
closed, one late, one new), and the demo member's appeal against a rejected crown upheld end to end:

- the member (adherent) had a consultation and a crown (COURONNE, 1,200.00 paid) without the prior
  approval the crown needs: the consultation is reimbursed, the crown rejected;
- the member appeals from the portal; the doctor (medecin) grants the approval after the fact;
  liquidateur takes the appeal in review; liquidateur2, of the appeals committee, upholds it;
- the crown is adjudicated again by the engine in a revision file (1,000.00: AMO 800.00, complementary
  200.00), which the doctor approves out of medical review; it waits for the next member-transfer
  batch (comptable prepares it, comptable2 validates: the README's payment walkthrough pays it).

A second appeal of another member is left in review for the committee, to try the answer page.
Idempotent: nothing is done once a grievance exists. The demo members hear of nothing (NOTIFY off).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.test.utils import override_settings
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from accounts.services import user_create
from claims.models import ClaimFile, ClaimStatus, LineStatus
from claims.services.adjudication import claim_adjudicate
from claims.services.approvals import prior_approval_decide, prior_approval_request
from claims.services.intake import LineInput, claim_create
from claims.services.workflow import claim_transition
from grievances.models import AnswerReason, Channel, Grievance, GrievanceCategory, Kind, Outcome
from grievances.services import (
    Answer,
    Contested,
    LineChange,
    grievance_answer,
    grievance_close,
    grievance_file,
    grievance_review_start,
)
from members.models import Member, MemberStatus

COMMITTEE_USERNAME = "liquidateur2"  # the appeals committee's member: not the officer who reviews
DEMO_PROVIDER_INPE = "990000126"  # the dentist of the demo crown (not in the provider list: typed at the counter)


def _user(username: str) -> User | None:
    return User.objects.filter(username=username).first()


def _committee_user(password: str) -> User:
    found = _user(COMMITTEE_USERNAME)
    if found is not None:
        return found
    return user_create(username=COMMITTEE_USERNAME, password=password, role=Role.CLAIMS_OFFICER)


def _crown_file(*, officer: User, member: Member, today: dt.date) -> ClaimFile:
    """A consultation and a crown without prior approval, filed at the counter 30 days ago, decided."""
    care = today - dt.timedelta(days=40)
    lines = [
        LineInput(kind="act", code="CONS-G", care_date=care, paid=Decimal("100.00")),
        LineInput(kind="act", code="COURONNE", care_date=care, paid=Decimal("1200.00")),
    ]
    holder = member.beneficiaries.get(rank=0)
    claim = claim_create(actor=officer, beneficiary=holder, filed_on=today - dt.timedelta(days=30), channel="counter",
                         lines=lines, provider_inpe=DEMO_PROVIDER_INPE)  # fmt: skip
    claim = claim_adjudicate(actor=officer, claim=claim)
    if claim.status == ClaimStatus.ADJUDICATED and claim.reimbursed > 0:
        claim = claim_transition(actor=officer, claim=claim, to=ClaimStatus.APPROVED)
    return claim


def _category(code: str) -> GrievanceCategory:
    return GrievanceCategory.objects.get(code=code)


def _complaints(*, agent: User, officer: User, members: list[Member], now: dt.datetime) -> None:
    texts = [
        ("delay", "J'ai déposé mon dossier il y a deux mois et je n'ai toujours pas été remboursé.", 12),
        ("reception", "لم أتلق أي جواب بعد ثلاث زيارات إلى الوكالة.", 1),
        ("payment", "Le virement annoncé n'est pas arrivé sur mon compte.", 20),
    ]
    for member, (code, text, days_ago) in zip(members, texts, strict=False):
        g = grievance_file(actor=agent, member=member, kind=Kind.COMPLAINT, category=_category(code),
                           channel=Channel.COUNTER, text=text, now=now - dt.timedelta(days=days_ago))  # fmt: skip
        if code == "payment":  # answered and closed
            g = grievance_answer(actor=officer, grievance=g, answer=Answer(
                Outcome.UPHELD, AnswerReason.SERVICE_APOLOGY,
                "Le virement a été rejeté par la banque (RIB clos) ; il repart avec votre nouveau RIB."))  # fmt: skip
            grievance_close(actor=officer, grievance=g)


def demo_grievances_ensure(*, password: str = "") -> int:
    """The demo's complaints and appeals; how many were filed (0 when they exist already)."""
    if Grievance.objects.exists():
        return 0
    officer, doctor, agent = _user("liquidateur"), _user("medecin"), _user("reception")
    adherent = Member.objects.filter(user__username="adherent").first()
    if officer is None or doctor is None or agent is None or adherent is None:
        return 0
    from demo.members import PASSWORD

    committee = _committee_user(password or PASSWORD)
    now = timezone.now()
    today = timezone.localdate(now)
    others = list(Member.objects.filter(status=MemberStatus.ACTIVE, user__isnull=True)
                  .exclude(rib="").order_by("membership_number")[:4])  # fmt: skip
    with override_settings(NOTIFY=False, CLAIMS_NOTIFY=False):
        _complaints(agent=agent, officer=officer, members=others[:3], now=now)
        claim = _crown_file(officer=officer, member=adherent, today=today)
        crown = claim.lines.filter(code="COURONNE", status=LineStatus.REJECTED).first()
        if crown is None:
            return Grievance.objects.count()
        appeal = grievance_file(
            actor=adherent.user, member=adherent, kind=Kind.APPEAL, category=_category("claim-decision"),
            channel=Channel.PORTAL, contested=Contested(claim_line=crown),
            text="Mon dentiste avait demandé l'accord préalable pour la couronne ; je joins sa lettre.",
        )  # fmt: skip
        approval = prior_approval_request(actor=adherent.user, beneficiary=crown.file.beneficiary, kind="act",
                                          code="COURONNE", justification="Couronne dentaire (recours)")  # fmt: skip
        approval = prior_approval_decide(actor=doctor, approval=approval, grant=True, quantity=1, amount="1000.00",
                                         valid_from=crown.care_date - dt.timedelta(days=30),
                                         valid_to=crown.care_date + dt.timedelta(days=90))  # fmt: skip
        appeal = grievance_review_start(actor=officer, grievance=appeal)
        appeal = grievance_answer(
            actor=committee, grievance=appeal, change=LineChange(prior_approval_id=approval.pk),
            answer=Answer(Outcome.UPHELD, AnswerReason.APPROVAL_GRANTED,
                          "La commission a accordé l'accord préalable : la couronne est remboursée."),
        )  # fmt: skip
        fresh = ClaimFile.objects.filter(pk=appeal.revision_file_id) if appeal.revision_file_id else None
        revision = fresh.first() if fresh is not None else None  # adjudicated since the answer
        if revision is not None and revision.status == ClaimStatus.MEDICAL_REVIEW:
            claim_transition(actor=doctor, claim=revision, to=ClaimStatus.APPROVED, reason=appeal.number)
        if len(others) > 3:
            second = _crown_file(officer=officer, member=others[3], today=today)
            line = second.lines.filter(code="COURONNE", status=LineStatus.REJECTED).first()
            if line is not None:
                pending = grievance_file(
                    actor=agent, member=others[3], kind=Kind.APPEAL, category=_category("claim-decision"),
                    channel=Channel.PHONE, contested=Contested(claim_line=line),
                    text="L'adhérent dit que la clinique a envoyé la demande d'accord ; à vérifier.",
                )  # fmt: skip
                grievance_review_start(actor=officer, grievance=pending)
    return Grievance.objects.count()
