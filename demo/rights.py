"""Demo arrears and rights: the walkthrough of notice -> suspension -> restoration on the members
demo.contributions leaves in arrears (four missing from every payroll file, one seconded member
three months behind).

- 45 days ago: the review sends a formal notice to the members with 3 unpaid months or more;
- 15 days ago (the notice's grace period of 30 days over): their rights are suspended, and the
  seconded member, now 3 months behind, gets its notice;
- 5 days ago: the first of them pays its arrears at the counter; the rights review the receipt
  queued restores its rights from that day (the care of the suspension stays refused).

Idempotent: the review changes nothing when run again, the receipt is made once.
"""

from __future__ import annotations

import datetime as dt

from accounts.models import User
from contributions.models import ArrearsNotice, EntryKind, LedgerEntry, Receipt, RightsState
from contributions.rules import month_start
from contributions.selectors_ledger import months_outstanding
from contributions.services_common import RIGHTS_REVIEW
from contributions.services_receipts import ReceiptMonth, receipt_record
from contributions.services_rights import rights_review_run
from jobs.services import job_work
from members.models import Member

REFERENCE = "DEMO-ARRIERES"


def demo_rights_ensure(*, today: dt.date | None = None) -> dict[str, int]:
    """Run the walkthrough; returns the count of cases by state."""
    today = today or dt.date.today()
    rights_review_run(actor=None, as_of=today - dt.timedelta(days=45))
    rights_review_run(actor=None, as_of=today - dt.timedelta(days=15))
    suspended = list(
        ArrearsNotice.objects.filter(state__in=[RightsState.SUSPENDED, RightsState.RESTORED])
        .order_by("member__matricule")
        .values_list("member_id", flat=True)
    )
    if suspended and not Receipt.objects.filter(reference=REFERENCE).exists():
        member = Member.objects.get(pk=suspended[0])
        # The months with a due posted before this month (the arrears the review counts), unpaid part.
        posted = LedgerEntry.objects.filter(member=member, kind=EntryKind.DUE, active=True,
                                            month__lt=month_start(today))  # fmt: skip
        months = sorted(set(posted.values_list("month", flat=True)))
        owed = [o for o in months_outstanding(member=member, months=months) if o.total > 0]
        clerk = User.objects.filter(username="reception").first() or User.objects.filter(username="comptable").first()
        if owed and clerk is not None:
            receipt_record(actor=clerk, member=member, channel="counter", reference=REFERENCE,
                           received_on=today - dt.timedelta(days=5),
                           months=[ReceiptMonth(o.month, **o.amounts) for o in owed])  # fmt: skip
    # The reviews queued by the payroll files and the receipts (the receipt's restores from its date);
    # all of them, so the worker beside `make run` finds none left to change the walkthrough.
    while job_work(worker="demo", kinds=[RIGHTS_REVIEW]) is not None:
        pass
    counts = {state: 0 for state in RightsState.values}
    for state in ArrearsNotice.objects.values_list("state", flat=True):
        counts[state] += 1
    return counts
