"""A member's file with every kind of medical value, written through the real services."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from accounts.roles import Role
from claims.models import Attachment, ClaimFile, PriorApproval
from claims.services.ald import ald_recognise
from claims.services.approvals import medical_note_set, prior_approval_decide, prior_approval_request
from claims.tests.factories import file_make, holder, member_make
from members.models import Member

JUSTIFICATION = "Lombalgie chronique rebelle, échec du traitement"
DECISION_NOTE = "Hernie discale L4-L5 confirmée"
ALD_CODE = "ALD12"
ALD_LABELS = ("Hypertension artérielle sévère", "Severe hypertension")
DIAGNOSIS = "Diabète de type 2 déséquilibré"
ATTACHMENT_NAME = "compte_rendu_hernie_discale.pdf"
SECRETS = (JUSTIFICATION, DECISION_NOTE, ALD_CODE, *ALD_LABELS, DIAGNOSIS, ATTACHMENT_NAME)


@dataclass
class MedicalFile:
    member: Member
    claim: ClaimFile
    approval: PriorApproval


def medical_file_make(make_user: Any) -> MedicalFile:
    """A member with a prior approval (justified, decided with a note), a recognised ALD, a file
    with an ALD line, a diagnosis and a named medical report; every write audited by its service."""
    reception, doctor = make_user(Role.RECEPTION), make_user(Role.MEDICAL_CONTROLLER)
    member = member_make()
    beneficiary = holder(member)
    approval = prior_approval_request(
        actor=reception, beneficiary=beneficiary, kind="act", code="IRM", justification=JUSTIFICATION
    )
    today = timezone.localdate()
    approval = prior_approval_decide(
        actor=doctor, approval=approval, grant=True, note=DECISION_NOTE, valid_from=today,
        valid_to=today + dt.timedelta(days=30), quantity=1, amount="2000.00",
    )  # fmt: skip
    ald_recognise(actor=doctor, beneficiary=beneficiary, code=ALD_CODE, valid_from=dt.date(2025, 1, 1))
    claim = file_make(member=member, lines=[{"kind": "act", "code": "C", "paid": "100.00", "ald": ALD_CODE}])
    medical_note_set(actor=doctor, claim=claim, diagnosis=DIAGNOSIS)
    return MedicalFile(member=member, claim=claim, approval=approval)


def attachment_row(claim: ClaimFile) -> Attachment:
    return Attachment.objects.create(
        file=claim, member_id=claim.member_id, kind=Attachment.Kind.MEDICAL_REPORT, original_name=ATTACHMENT_NAME,
        content_type="application/pdf", size=10, sha256="0" * 64, path=f"claims/{claim.member_id}/x.pdf",
    )  # fmt: skip


def leaked(text: str) -> list[str]:
    return [s for s in SECRETS if s in text]
