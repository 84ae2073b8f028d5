"""Demo of an advance withheld from its care's payment: the demo's advance on a quote (demo.allowances)
tied to an approved claim file of its patient (or, when the patient has none, a second advance filed for
a member who has one). Idempotent: an advance already tied is left as it is.

The walkthrough (docs/allowances.md, *Withheld from the care's payment*): comptable approves the advance
(Allowances → Advances on care), pays it by a batch "Transfers of solidarity allowances and advances"
(comptable2 validates, comptable exports and imports the bank's return marking it PAID); then a batch
"Transfers to members": that member's payment is the file's reimbursement less the advance still owed,
the lines on the member's payments page.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from accounts.models import User
from allowances.models import Advance
from allowances.services.advances import LINKABLE, advance_claim_link, advance_create
from claims.models import ClaimFile, ClaimStatus
from members.models import MemberStatus

QUOTE = "DEVIS-{year}-0042"


def demo_solidarity_ensure() -> bool:
    """Tie a demo advance to a claim file of its patient; True when one was tied now."""
    reception = User.objects.filter(username="reception").first()
    if reception is None or Advance.objects.filter(claim__isnull=False).exists():
        return False
    open_files = ClaimFile.objects.filter(status=ClaimStatus.APPROVED, amo__gt=0, channel="counter")
    advance = Advance.objects.filter(quote_reference=QUOTE.format(year=dt.date.today().year)).first()
    claim = open_files.filter(member_id=advance.member_id).order_by("pk").first() if advance else None
    if advance is None or claim is None or advance.state not in LINKABLE:
        claim = open_files.filter(member__status=MemberStatus.ACTIVE).exclude(member__rib="").order_by("-pk").first()
        if claim is None:
            return False
        reimbursed = Decimal(claim.amo) + Decimal(claim.complementary)
        # More than the file reimburses, so the walkthrough shows a 0.00 payment and what stays owed.
        advance = advance_create(actor=reception, member=claim.member, quote_reference="DEVIS-SOINS-0043",
                                 quote_amount=reimbursed + Decimal("2000.00"), amount=reimbursed + Decimal("500.00"),
                                 rib=claim.member.rib, beneficiary=claim.beneficiary)  # fmt: skip
    advance_claim_link(actor=reception, advance=advance, claim_number=claim.number)
    return True
