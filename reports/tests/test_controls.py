"""Control signals: each found with its figures, thresholds as dated rows, constant queries, no writes."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.roles import Role
from audit.models import AuditEvent
from claims.models import ClaimFile, ClaimLine, ClaimTransition, PriorApproval
from claims.services import claim_adjudicate
from claims.tests.factories import CONSULTATION, file_make, holder, member_make, snapshot
from reports import controls as c
from reports.models_whatif import ControlThreshold

pytestmark = pytest.mark.django_db
WINDOW = c.Window(date(2025, 1, 1), date(2025, 3, 31))
URL = "/reports/controls/"


@pytest.fixture(autouse=True)
def _no_sample(settings) -> None:  # type: ignore[no-untyped-def]
    settings.CLAIMS_REVIEW_SAMPLE_SHARE = "0"


def _file(
    member: Any, lines: list[dict[str, Any]], *, inpe: str = "123456789", on: date = date(2025, 3, 10)
) -> ClaimFile:
    claim = file_make(
        member=member, lines=[{**spec, "care_date": on} for spec in lines], filed_on=on + timedelta(days=5)
    )
    ClaimFile.objects.filter(pk=claim.pk).update(provider_inpe=inpe)
    return claim_adjudicate(actor=None, claim=claim, snapshot=snapshot())


def _values() -> dict[str, Decimal]:
    return c.thresholds_on(WINDOW.end)


def test_it_finds_the_same_act_billed_by_two_providers() -> None:
    member = member_make()
    a = _file(member, [CONSULTATION], inpe="111111111")
    b = _file(member, [CONSULTATION], inpe="222222222")
    _file(member_make(), [CONSULTATION], inpe="333333333")  # someone else: no signal
    found = c.duplicate_signals(WINDOW)
    assert found.total == 1
    (s,) = found.items
    assert (s.code, s.care_date, s.providers) == ("C", date(2025, 3, 10), 2)
    assert {f.id for f in s.files} == {a.pk, b.pk}


def test_it_flags_a_provider_far_above_its_peers_with_the_figures() -> None:
    for inpe in ("100000001", "100000002", "100000003"):
        _file(member_make(), [CONSULTATION], inpe=inpe)
    # SURG1: K 22.50 x 50 = 1,125.00 basis against 80.00 for each peer's consultation.
    outlier = _file(member_make(), [{"kind": "act", "code": "SURG1", "paid": "2000.00"}], inpe="100000009")
    found = c.provider_signals(WINDOW, _values())
    (s,) = found.items
    assert (s.inpe, s.basis_per_file, s.median_basis_per_file, s.peers) == (
        "100000009", Decimal("1125.00"), Decimal("80.00"), 4)  # fmt: skip
    # median of 80, 80, 80, 1125 is 80: 1125 / 80 = 14.06 > 2
    assert (s.ratio, s.measure, s.latest_file.id) == (Decimal("14.06"), "basis", outlier.pk)  # type: ignore[union-attr]


def test_it_needs_enough_peers_to_flag_a_provider() -> None:
    _file(member_make(), [CONSULTATION], inpe="100000001")
    _file(member_make(), [{"kind": "act", "code": "SURG1", "paid": "2000.00"}], inpe="100000009")
    assert c.provider_signals(WINDOW, _values()).total == 0  # two providers, fewer than 3 peers


def test_it_flags_five_consultations_in_thirty_days_not_five_in_five_months() -> None:
    busy, calm = member_make(), member_make()
    for d in (1, 6, 11, 16, 21):
        _file(busy, [CONSULTATION], on=date(2025, 3, d))
    for m in (1, 2, 3):
        _file(calm, [CONSULTATION], on=date(2025, m, 2))
    found = c.frequency_signals(WINDOW, _values())
    (s,) = found.items
    assert (s.card_number, s.count, s.first, s.last, s.days, s.allowed) == (
        holder(busy).card_number, 5, date(2025, 3, 1), date(2025, 3, 21), 30, 4)  # fmt: skip
    assert len(s.files) == 5


def _approval(member: Any, *, consumed: int, granted: int = 10) -> PriorApproval:
    return PriorApproval.objects.create(
        number=f"EP{member.pk:06d}", member=member, beneficiary=holder(member), kind="act", code="KINE",
        status=PriorApproval.Status.GRANTED, valid_from=date(2025, 3, 1), valid_to=date(2025, 5, 29),
        quantity_granted=granted, quantity_consumed=consumed,
    )  # fmt: skip


def test_it_flags_an_approval_used_faster_than_granted() -> None:
    fast, slow = member_make(), member_make()
    _approval(fast, consumed=8)
    _approval(slow, consumed=1)
    # 2025-03-01..2025-03-10 is 10 of 90 days (11.1 %); 8 of 10 used (80 %) > 2 x 11.1 % and >= 50 %.
    window = c.Window(date(2025, 1, 1), date(2025, 3, 10))
    (s,) = c.approval_signals(window, c.thresholds_on(window.end)).items
    assert (s.number, s.used_pct, s.elapsed_pct) == (f"EP{fast.pk:06d}", Decimal("80.0"), Decimal("11.1"))


def test_it_reads_the_thresholds_in_force_on_the_last_day() -> None:
    busy = member_make()
    for d in (1, 6, 11, 16, 21):
        _file(busy, [CONSULTATION], on=date(2025, 3, d))
    ControlThreshold.objects.filter(name="frequency_max").update(valid_to=date(2025, 3, 25))
    ControlThreshold.objects.create(name="frequency_max", value=Decimal("6"), valid_from=date(2025, 3, 25))
    before = c.Window(date(2025, 1, 1), date(2025, 3, 24))
    assert c.frequency_signals(before, c.thresholds_on(before.end)).total == 1
    assert c.frequency_signals(WINDOW, c.thresholds_on(WINDOW.end)).total == 0


def _state() -> list[Any]:
    return [list(m.objects.order_by("pk").values_list()) for m in (ClaimFile, ClaimLine, ClaimTransition,
                                                                    PriorApproval, AuditEvent)]  # fmt: skip


def _some(n: int) -> None:
    for _ in range(n):
        member = member_make()
        _file(member, [CONSULTATION], inpe="111111111")
        _file(member, [CONSULTATION], inpe=f"2222222{ClaimFile.objects.count():02d}")
        for d in (1, 6, 11, 16, 21):
            _file(member, [CONSULTATION], on=date(2025, 2, d), inpe="111111111")
        _approval(member, consumed=9)


@pytest.mark.parametrize("signal", c.SIGNALS)
def test_it_reads_in_a_constant_number_of_queries_and_changes_nothing(client_for: Any, signal: str) -> None:
    client = client_for(Role.MEDICAL_CONTROLLER)
    query = {"signal": signal, "start": "2025-01-01", "end": "2025-03-12"}
    _some(2)  # two members: already three providers, so one is flagged as below
    with CaptureQueriesContext(connection) as one:
        assert client.get(URL, query).status_code == 200
    _some(2)
    before = _state()
    with CaptureQueriesContext(connection) as four:
        response = client.get(URL, query)
    assert response.status_code == 200
    assert len(one) == len(four), [q["sql"][:90] for q in four.captured_queries]
    assert client.get(URL, {**query, "format": "xlsx"})["Content-Type"].startswith("application/vnd.openxml")
    assert _state() == before  # a signal is a suggestion: no file, line, transition, approval or audit row moves
    if signal != "providers":
        assert response.context["total"] == 4


def test_it_links_each_signal_to_its_claim_file(client_for: Any) -> None:
    member = member_make()
    a = _file(member, [CONSULTATION], inpe="111111111")
    _file(member, [CONSULTATION], inpe="222222222")
    body = client_for(Role.MEDICAL_CONTROLLER).get(URL, {"start": "2025-01-01", "end": "2025-03-31"}).content.decode()
    assert f"/claims/{a.pk}/" in body and a.number in body


@pytest.mark.parametrize("role", [Role.CLAIMS_OFFICER, Role.MANAGER, Role.AUDITOR, Role.RECEPTION])
def test_it_is_for_medical_controllers_only(client_for: Any, role: Role) -> None:
    assert client_for(role).get(URL).status_code == 403


@pytest.mark.parametrize(
    "query",
    [{"start": "yesterday"}, {"signal": "<script>"}, {"page": "-1"}, {"start": "2025-03-01", "end": "2025-01-01"},
     {"format": "exe"}],
)  # fmt: skip
def test_it_refuses_hostile_input_with_a_400(client_for: Any, query: dict[str, str]) -> None:
    client = client_for(Role.MEDICAL_CONTROLLER)
    client.cookies["django_language"] = "fr"
    response = client.get(URL, query, HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 400


def test_an_administrator_sees_the_thresholds_in_the_admin(client_for: Any) -> None:
    client = client_for(Role.ADMINISTRATOR)
    response = client.get("/admin/reports/controlthreshold/")
    assert response.status_code == 200 and b"frequency_max" in response.content
    assert client.get("/admin/reports/controlthreshold/add/").status_code == 200
