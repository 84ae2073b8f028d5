"""Demo long-term illnesses: recognised by `medecin` for a few beneficiaries, through the service."""

from __future__ import annotations

import datetime as dt
import random

from accounts.models import User
from claims.models import AldRecognition
from claims.services.ald import ald_recognise
from members.models import Beneficiary
from referentials.models import AldCondition

SHARE = 0.04  # of members and spouses
COMMON = ["ALD07", "ALD08", "ALD12", "ALD16", "ALD23", "ALD30"]  # diabetes, hypertension, cancers...


def demo_ald_ensure(*, seed: int) -> int:
    """About 4 % of the demo's members and spouses get a recognised long-term illness, the adherent's
    spouse among them (severe hypertension since 2024-03-01); some have ended. Idempotent: nothing
    is added once any recognition exists."""
    doctor = User.objects.filter(username="medecin").first()
    if doctor is None or AldRecognition.objects.exists():
        return 0
    listed = set(AldCondition.objects.values_list("code", flat=True))
    codes = [c for c in COMMON if c in listed] or sorted(listed)
    if not codes:
        return 0
    rng = random.Random(f"{seed}:ald")
    people = list(Beneficiary.objects.filter(relation__in=["self", "spouse"]).order_by("pk"))
    adherent = User.objects.filter(username="adherent", member__isnull=False).values_list("member", flat=True).first()
    spouse = next((b for b in people if b.relation == "spouse" and b.member_id == adherent), None)
    made = 0
    if spouse is not None and "ALD12" in listed:
        ald_recognise(actor=doctor, beneficiary=spouse, code="ALD12", valid_from=dt.date(2024, 3, 1))
        made += 1
    for ben in people:
        if ben is spouse or rng.random() >= SHARE:
            continue
        start = dt.date(2023, 1, 1) + dt.timedelta(days=rng.randrange(3 * 365))
        end = start + dt.timedelta(days=rng.choice((365, 730))) if rng.random() < 0.2 else None
        ald_recognise(actor=doctor, beneficiary=ben, code=rng.choice(codes), valid_from=start, valid_to=end)
        made += 1
    return made
