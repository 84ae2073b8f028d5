"""Arrears → notice → suspension → restoration, and the student limit raised to 30, answered alike
by the claims adjudication, the counter preview, the provider API and the simulator."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from accounts.models import Provider
from accounts.roles import Role
from accounts.tokens import api_token_create
from claims.services import claim_adjudicate
from claims.services.intake import LineInput
from claims.services.preview import claim_preview
from claims.simulator.services import simulation_run
from claims.tests.factories import file_make, holder, member_make
from contributions.models import ArrearsNotice, RightsState
from contributions.services_rights import rights_review_run
from contributions.tests.factories import entry_make
from members.models import Beneficiary, Member
from referentials.models import Parameter
from referentials.selectors import referential_snapshot_clear
from referentials.services import referential_row_replace

pytestmark = pytest.mark.django_db
JAN, FEB, MAR = (dt.date(2026, m, 1) for m in (1, 2, 3))


@pytest.fixture
def provider_client(make_user) -> Client:  # type: ignore[no-untyped-def]
    provider = Provider.objects.create(inpe="300000001", name="Clinique", kind="clinic", sector="private", city="Rabat")
    _token, plaintext = api_token_create(actor=None, user=make_user(Role.PROVIDER, provider_id=provider.pk))
    return Client(HTTP_AUTHORIZATION=f"Bearer {plaintext}")


def _scenario(ben: Beneficiary, day: dt.date) -> dict[str, Any]:
    """The simulator's input for `ben`, as a counter agent would type it from the member's file."""
    member = ben.member
    return {
        "filed_on": (day + dt.timedelta(days=5)).isoformat(), "filed_by": "member",
        "provider": {"sector": "private", "kind": "doctor", "inpe": "123456789"},
        "beneficiary": {
            "relation": ben.relation, "birth_date": ben.birth_date.isoformat(),
            "member_joined": member.joined_on.isoformat(),
            "student_until": ben.school_certificate_until.isoformat() if ben.school_certificate_until else None,
            "suspensions": [
                {"from": s.starts_on.isoformat(), "until": s.ends_on.isoformat() if s.ends_on else None}
                for s in member.rights_suspensions.all()
            ],
        },
        "lines": [{"kind": "act", "code": "C", "date": day.isoformat(), "paid": "100.00"}],
    }  # fmt: skip


def answers(ben: Beneficiary, day: dt.date, client: Client) -> dict[str, str | None]:
    """The refusal reason (None: covered) of a consultation on `day` in each of the four places."""
    filed = day + dt.timedelta(days=5)
    claim = file_make(member=ben.member, lines=[{"kind": "act", "code": "C", "paid": "100.00", "care_date": day}],
                      filed_on=filed)  # fmt: skip
    # file_make files for the holder; move it to `ben` (a dependant) before adjudicating.
    claim.beneficiary = ben
    claim.save(update_fields=["beneficiary"])
    line = claim_adjudicate(actor=None, claim=claim).lines.get()
    preview = claim_preview(
        beneficiary_id=ben.pk, filed_on=filed, channel="counter", provider_inpe="123456789",
        provider_sector="private", provider_kind="doctor",
        lines=[LineInput(kind="act", code="C", care_date=day, paid=Decimal("100.00"))],
    ).lines[0]  # fmt: skip
    api = client.get("/api/v1/eligibility", {"card": ben.card_number, "on": day.isoformat()}).json()
    sim = simulation_run(data=_scenario(Beneficiary.objects.get(pk=ben.pk), day), lang="fr")["lines"][0]
    cover = {"AGE_LIMIT", "RIGHTS_SUSPENDED", "WAITING_PERIOD", "NOT_COVERED"}

    def first(reasons: Any) -> str | None:
        return next((r for r in reasons if r in cover), None)

    return {
        "claims": first(line.reasons),
        "preview": first(preview.reasons),
        "api": api["reason_code"],
        "simulator": first(r["code"] if isinstance(r, dict) else r for r in sim["reasons"]),
    }


def _same(ben: Beneficiary, day: dt.date, client: Client, expected: str | None) -> None:
    got = answers(ben, day, client)
    assert got == dict.fromkeys(got, expected), (day, got)


def _child(member: Member, **extra: Any) -> Beneficiary:
    n = member.beneficiaries.count()
    return Beneficiary.objects.create(
        member=member, relation="child", rank=n, card_number=f"{member.membership_number}-{n:02d}",
        last_name="Alaoui", first_name="Salma", last_name_ar="العلوي", first_name_ar="سلمى", sex="F", **extra,
    )  # fmt: skip


def test_it_walks_notice_suspension_restoration_and_every_place_answers_alike(provider_client) -> None:
    member = member_make(joined_on=dt.date(2020, 1, 1))
    child = _child(member, birth_date=dt.date(2015, 6, 1))
    for month in (JAN, FEB, MAR):
        entry_make(member, month, "due", "50.00")
    # 2026-04-02: January..March unpaid (3 months, the seeded threshold) -> formal notice of 150.00,
    # suspension without payment 30 days later: 2026-05-02.
    assert rights_review_run(actor=None, as_of=dt.date(2026, 4, 2)).as_dict() == {
        "noticed": 1, "suspended": 0, "restored": 0, "settled": 0}  # fmt: skip
    notice = ArrearsNotice.objects.get(member=member)
    assert (notice.state, notice.amount_due, notice.suspend_on) == ("noticed", Decimal("150.00"), dt.date(2026, 5, 2))
    assert rights_review_run(actor=None, as_of=dt.date(2026, 4, 20)).as_dict()["noticed"] == 0  # idempotent
    rights_review_run(actor=None, as_of=dt.date(2026, 5, 2))
    notice.refresh_from_db()
    assert notice.state == RightsState.SUSPENDED and notice.suspension.starts_on == dt.date(2026, 5, 2)
    for ben in (holder(member), child):
        _same(ben, dt.date(2026, 5, 1), provider_client, None)
        _same(ben, dt.date(2026, 5, 2), provider_client, "RIGHTS_SUSPENDED")
    # Paid at the counter on 2026-05-20: rights back from that day, the care of 2026-05-10 stays refused.
    for month in (JAN, FEB, MAR):
        entry_make(member, month, "paid", "50.00", paid_on=dt.date(2026, 5, 20))
    assert rights_review_run(actor=None, as_of=dt.date(2026, 5, 21)).as_dict()["restored"] == 1
    notice.refresh_from_db()
    assert (notice.state, notice.closed_on, notice.suspension.ends_on) == (
        "restored", dt.date(2026, 5, 20), dt.date(2026, 5, 20))  # fmt: skip
    for ben in (holder(member), child):
        _same(ben, dt.date(2026, 5, 10), provider_client, "RIGHTS_SUSPENDED")
        _same(ben, dt.date(2026, 5, 19), provider_client, "RIGHTS_SUSPENDED")
        _same(ben, dt.date(2026, 5, 20), provider_client, None)
    assert rights_review_run(actor=None, as_of=dt.date(2026, 5, 22)).as_dict() == dict.fromkeys(
        ("noticed", "suspended", "restored", "settled"), 0)  # fmt: skip


def test_it_covers_a_27_year_old_student_from_the_day_the_limit_becomes_30(provider_client, make_user) -> None:
    member = member_make(joined_on=dt.date(2010, 1, 1))
    # Born 1999-03-15: 27 on 2026-03-15, in school until 2027-06-30; limit 26 until 2026-09-01, then 30.
    student = _child(member, birth_date=dt.date(1999, 3, 15), school_certificate_until=dt.date(2027, 6, 30))
    row = Parameter.objects.get(name="student_age_limit", valid_to__isnull=True)
    referential_row_replace(
        actor=make_user(Role.ADMINISTRATOR), row=row, valid_from=dt.date(2026, 9, 1), changes={"value": 30}
    )
    referential_snapshot_clear()
    _same(student, dt.date(2026, 8, 31), provider_client, "AGE_LIMIT")
    _same(student, dt.date(2026, 9, 1), provider_client, None)
    _same(student, dt.date(2026, 3, 14), provider_client, None)  # still 26 the day before the 27th birthday
