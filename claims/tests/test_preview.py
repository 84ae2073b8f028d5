from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from claims.services.intake import LineInput
from claims.services.preview import claim_preview
from claims.tests.factories import holder, member_make
from members.models import MemberStatusChange

pytestmark = pytest.mark.django_db


def _preview(ben_id: int, care_date: date) -> tuple[int, int, tuple[str, ...]]:
    decision = claim_preview(
        beneficiary_id=ben_id, filed_on=date(2025, 6, 20), channel="counter", provider_inpe="",
        provider_sector="private", provider_kind="doctor",
        lines=[LineInput(kind="act", care_date=care_date, paid=Decimal("200.00"), code="c")],
    )  # fmt: skip
    line = decision.lines[0]
    return line.amo, line.complementary, line.reasons


def test_it_previews_with_the_seeded_referentials_and_worked_figures() -> None:
    ben = holder(member_make())
    # C = 80.00 DH (seeded), paid 200: AMO 80% = 64.00, complementary flat 10.00 per consultation.
    assert _preview(ben.pk, date(2025, 6, 2)) == (6400, 1000, ())


def test_it_judges_the_preview_by_the_status_on_the_date_of_care_not_today() -> None:
    member = member_make()
    MemberStatusChange.objects.create(member=member, status="resigned", valid_from=date(2025, 6, 1))
    ben = holder(member)
    assert _preview(ben.pk, date(2025, 5, 30))[0] == 6400
    amo, complementary, reasons = _preview(ben.pk, date(2025, 6, 2))
    assert (amo, complementary) == (0, 0) and "NOT_COVERED" in reasons
