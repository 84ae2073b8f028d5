"""Demo of the solidarity allowances: a member's death allowance received, its documents in, checked by
the claims officer (liquidateur) and waiting for a second agent's approval (comptable); a funeral
request still incomplete; a retirement allowance paid through a batch; an advance on a quote waiting for
its approval. Idempotent: a member who has a death request is left as it is.

The walkthrough (docs/readme-allowances.md): comptable approves the death allowance, prepares a batch
"Transfers of solidarity allowances and advances", comptable2 validates it, comptable exports it and
imports the bank's return; each heir's letter prints in Arabic and French.
"""

from __future__ import annotations

import datetime as dt
import io
import random
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test.utils import override_settings

from accounts.models import User
from allowances.checklist import request_checklist
from allowances.models import AllowanceRequest, AllowanceType, HeirRelation, RequestState
from allowances.rules import age_on, months_between
from allowances.seed import SINCE
from allowances.services.advances import advance_create
from allowances.services.decisions import allowance_request_approve, allowance_request_check
from allowances.services.requests import (
    ShareInput,
    allowance_document_add,
    allowance_request_create,
    allowance_shares_set,
)
from members.models import Member, MemberStatus, Relation
from members.rib import rib_key


def _scan(name: str) -> SimpleUploadedFile:
    from pypdf import PdfWriter

    out = io.BytesIO()
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.write(out)
    return SimpleUploadedFile(name, out.getvalue(), content_type="application/pdf")


def _rib(rng: random.Random) -> str:
    first22 = f"{rng.choice(['007', '011', '022', '145', '230'])}{rng.randint(100, 999)}{rng.randrange(10**16):016d}"
    return first22 + rib_key(first22)


def _documents(actor: User, request: AllowanceRequest) -> None:
    for item in request_checklist(request):
        if not item.present:
            allowance_document_add(actor=actor, request=request, kind=item.kind, upload=_scan(f"{item.kind}.pdf"),
                                   share_id=item.share_id)  # fmt: skip


def _with_ribs(
    actor: User, request: AllowanceRequest, rng: random.Random, *, children: bool = False
) -> AllowanceRequest:
    """The payees with a RIB each; with `children`, the agent adds the file's children at school age
    (their school certificates are among the documents brought)."""
    shares = list(request.shares.order_by("rank"))
    payees = [ShareInput(s.relation, s.name, s.name_ar, s.rib or _rib(rng), s.parts, s.beneficiary_id, s.birth_date)
              for s in shares]  # fmt: skip
    if children:
        known = {s.beneficiary_id for s in shares}
        for child in request.member.beneficiaries.filter(relation=Relation.CHILD).order_by("rank"):
            if child.pk not in known and age_on(child.birth_date, request.event_date) <= 25:
                payees.append(ShareInput(HeirRelation.CHILD, child.full_name, child.full_name_ar, _rib(rng), 1,
                                         child.pk, child.birth_date))  # fmt: skip
    return allowance_shares_set(actor=actor, request=request, payees=payees)


def _deceased_with_family() -> Member | None:
    """The deceased member with a spouse and the most children, a member for more than a year on the day of death."""
    dead = Member.objects.filter(
        status=MemberStatus.DECEASED, status_since__gte=SINCE, status_since__lte=dt.date.today()
    )
    best: tuple[int, Member] | None = None
    for member in dead.order_by("membership_number"):
        relations = list(member.beneficiaries.values_list("relation", flat=True))
        if Relation.SPOUSE in relations and months_between(member.joined_on, member.status_since) >= 12:
            children = relations.count(Relation.CHILD)
            if best is None or children > best[0]:
                best = (children, member)
    return best[1] if best else None


def demo_allowances_ensure(*, seed: int) -> int:
    """The demo's requests and advance; how many requests were created."""
    users = {u.username: u for u in User.objects.filter(username__in=["reception", "liquidateur", "comptable"])}
    member = _deceased_with_family()
    if member is None or len(users) < 3 or AllowanceRequest.objects.filter(member=member).exists():
        return 0
    rng = random.Random(f"allowances:{seed}")
    reception, officer, accountant = users["reception"], users["liquidateur"], users["comptable"]
    created = 0
    with override_settings(NOTIFY=False):  # the demo's families are not told of their demo requests
        types = {t.code: t for t in AllowanceType.objects.all()}
        death = allowance_request_create(actor=reception, member=member, type=types["death"],
                                         event_date=member.status_since, claimant_name="Famille du défunt",
                                         claimant_phone=member.phone)  # fmt: skip
        death = _with_ribs(reception, death, rng, children=True)
        _documents(reception, death)
        allowance_request_check(actor=officer, request=death)  # waiting for comptable's approval
        funeral = allowance_request_create(actor=reception, member=member, type=types["funeral"],
                                           event_date=member.status_since, claimant_name="Omar Alaoui")  # fmt: skip
        created += 2
        from allowances.services.decisions import allowance_request_move

        allowance_request_move(actor=reception, request=funeral, to=RequestState.INCOMPLETE)
        retired = Member.objects.filter(status=MemberStatus.RETIRED, status_since__gte=SINCE).exclude(rib="")
        retired = retired.filter(status_since__lte=dt.date.today()).order_by("membership_number")
        pensioner = retired.first()
        if pensioner is not None:
            retirement = allowance_request_create(actor=reception, member=pensioner, type=types["retirement"],
                                                  event_date=pensioner.status_since,
                                                  claimant_name="L'adhérent lui-même")  # fmt: skip
            _documents(reception, retirement)
            checked = allowance_request_check(actor=officer, request=retirement)
            allowance_request_approve(actor=accountant, request=checked)
            created += 1
        active = Member.objects.filter(status=MemberStatus.ACTIVE).exclude(rib="").order_by("-membership_number")
        patient = active.first()
        if patient is not None:
            advance_create(actor=reception, member=patient, quote_reference=f"DEVIS-{dt.date.today().year}-0042",
                           quote_amount=Decimal("38500.00"), amount=Decimal("15000.00"), rib=patient.rib,
                           instalment=Decimal("1000.00"))  # fmt: skip
    return created
