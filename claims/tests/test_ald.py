"""Long-term illnesses: dated recognitions, the 100 % rate on their dates only, the screen's denials."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

import engine as e
from accounts.roles import Role
from audit.models import AuditEvent
from claims.models import AldRecognition
from claims.services import claim_adjudicate
from claims.services.ald import AldError, ald_end, ald_recognise
from claims.tests.factories import SNAPSHOT_DATA, file_make, holder, member_make

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture(autouse=True)
def _no_sample(settings) -> None:  # type: ignore[no-untyped-def]
    settings.CLAIMS_REVIEW_SAMPLE_SHARE = "0"


def test_the_full_rate_applies_only_on_the_dates_the_illness_is_recognised(make_user) -> None:
    officer, member = make_user(Role.CLAIMS_OFFICER), member_make()
    AldRecognition.objects.create(member_id=member.pk, beneficiary=holder(member), code="ALD01",
                                  valid_from=dt.date(2025, 3, 1), valid_to=dt.date(2025, 3, 31))  # fmt: skip
    lines = [{"kind": "act", "code": "C", "paid": "100.00", "ald": "ALD01", "care_date": dt.date(2025, 3, d)}
             for d in (1, 31)] + [{"kind": "act", "code": "C", "paid": "100.00", "ald": "ALD01",
                                   "care_date": dt.date(2025, m, d)} for m, d in ((2, 20), (4, 1))]  # fmt: skip
    claim = file_make(member=member, lines=lines, filed_on=dt.date(2025, 4, 5))
    snap = e.snapshot_build({**SNAPSHOT_DATA, "ald": ["ALD01"]})
    claim = claim_adjudicate(actor=officer, claim=claim, snapshot=snap)
    rows = claim.lines.order_by("position")
    got = [(ln.care_date.isoformat(), ln.amo, ln.complementary, ln.remainder) for ln in rows]
    # C private 80.00; paid 100. Recognised (first and last day included): AMO 100 % = 80, flat 10,
    # remainder 100 - 80 - 10 = 10. Outside: AMO 80 % = 64, flat 10, remainder 26.
    assert got == [("2025-03-01", D(80), D(10), D(10)), ("2025-03-31", D(80), D(10), D(10)),
                   ("2025-02-20", D(64), D(10), D(26)), ("2025-04-01", D(64), D(10), D(26))]  # fmt: skip
    assert (claim.amo, claim.complementary, claim.remainder) == (D(288), D(40), D(72))


def test_a_medical_controller_recognises_and_closes_an_illness_from_the_members_file(client_for) -> None:
    member = member_make()
    doctor = client_for(Role.MEDICAL_CONTROLLER)
    url = reverse("claims:ald_add", args=[member.pk])
    data = {"beneficiary": holder(member).pk, "code": "ald12", "valid_from": "2025-01-01"}
    assert doctor.post(url, data).status_code == 302
    row = AldRecognition.objects.get(member_id=member.pk)
    assert (row.code, row.valid_from, row.valid_to, row.decided_by_id) == ("ALD12", dt.date(2025, 1, 1), None,
                                                                            doctor.user.pk)  # fmt: skip
    page = doctor.get(reverse("members:detail", args=[member.pk])).content.decode()
    assert 'id="ald"' in page and "ALD12" in page
    assert AuditEvent.objects.filter(actor=doctor.user, action="view_medical", note="ald").exists()
    response = doctor.post(reverse("claims:ald_close", args=[row.pk]), {"last_day": "2025-12-31"})
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.valid_to == dt.date(2025, 12, 31)


@pytest.mark.parametrize("role", [Role.CLAIMS_OFFICER, Role.RECEPTION, Role.MEMBER])
def test_other_roles_neither_see_nor_record_long_term_illnesses(client_for, role: Role) -> None:
    member = member_make()
    row = AldRecognition.objects.create(member_id=member.pk, beneficiary=holder(member), code="ALD12",
                                        valid_from=dt.date(2025, 1, 1))  # fmt: skip
    client = client_for(role)
    data = {"beneficiary": holder(member).pk, "code": "ALD01", "valid_from": "2025-01-01"}
    assert client.post(reverse("claims:ald_add", args=[member.pk]), data).status_code == 403
    assert client.post(reverse("claims:ald_close", args=[row.pk]), {"last_day": "2025-02-01"}).status_code == 403
    if role != Role.MEMBER:
        page = client.get(reverse("members:detail", args=[member.pk])).content.decode()
        assert "ALD12" not in page and 'id="ald"' not in page
    assert AldRecognition.objects.count() == 1 and not AuditEvent.objects.filter(note="ald").exists()


def test_it_refuses_unlisted_codes_overlaps_and_reversed_dates(make_user) -> None:
    doctor, ben = make_user(Role.MEDICAL_CONTROLLER), holder(member_make())
    first = ald_recognise(actor=doctor, beneficiary=ben, code="ALD12", valid_from=dt.date(2025, 1, 1),
                          valid_to=dt.date(2025, 6, 30))  # fmt: skip
    with pytest.raises(AldError, match="not on the list"):
        ald_recognise(actor=doctor, beneficiary=ben, code="ALD99", valid_from=dt.date(2025, 1, 1))
    with pytest.raises(AldError, match="already recognised"):
        ald_recognise(actor=doctor, beneficiary=ben, code="ALD12", valid_from=dt.date(2025, 6, 30))
    with pytest.raises(AldError, match="before the first day"):
        ald_recognise(actor=doctor, beneficiary=ben, code="ALD01", valid_from=dt.date(2025, 2, 1),
                      valid_to=dt.date(2025, 1, 31))  # fmt: skip
    with pytest.raises(AldError, match="before the first day"):
        ald_end(actor=doctor, recognition=first, last_day=dt.date(2024, 12, 31))
    again = ald_recognise(actor=doctor, beneficiary=ben, code="ALD12", valid_from=dt.date(2025, 7, 1))
    assert again.valid_to is None and AldRecognition.objects.count() == 2
