"""Pages and API: a member sees only their own, a provider only its own claims'; the queue shows what is late."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Provider
from accounts.roles import Role
from accounts.tokens import api_token_create
from claims.models import ClaimStatus
from claims.services.adjudication import claim_adjudicate
from claims.services.intake import LineInput, claim_create
from claims.services.workflow import claim_transition
from claims.tests.factories import holder
from grievances.models import Channel, Grievance, Kind
from grievances.selectors import grievances_summary
from grievances.services import grievance_file
from grievances.tests.factories import CARE, FILED, category, decided_file, member_with_rib

pytestmark = pytest.mark.django_db


def _complaint(actor: Any, member: Any, **kw: Any) -> Grievance:
    return grievance_file(actor=actor, member=member, kind=Kind.COMPLAINT, category=category("delay"),
                          channel=Channel.COUNTER, text="Where is my money?", **kw)  # fmt: skip


def test_it_shows_a_member_their_own_grievances_only(client: Any, make_user: Any) -> None:
    agent = make_user(Role.RECEPTION)
    me = member_with_rib(user=make_user(Role.MEMBER))
    other = member_with_rib(user=make_user(Role.MEMBER))
    mine, theirs = _complaint(agent, me), _complaint(agent, other)
    client.force_login(me.user)
    page = client.get(reverse("grievances:mine")).content.decode()
    assert mine.number in page and theirs.number not in page
    assert client.get(reverse("grievances:detail", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("grievances:detail", args=[mine.pk])).status_code == 200
    assert client.get(reverse("grievances:queue")).status_code == 403
    assert client.post(reverse("grievances:action", args=[theirs.pk, "withdraw"])).status_code == 404


def test_it_files_from_the_portal_with_a_tracking_number(client: Any, make_user: Any) -> None:
    me = member_with_rib(user=make_user(Role.MEMBER))
    client.force_login(me.user)
    form = {"kind": Kind.COMPLAINT, "category": category("delay").pk, "decision": "", "text": "Still waiting."}
    response = client.post(reverse("grievances:new"), form)
    g = Grievance.objects.get()
    assert response.status_code == 302 and g.channel == Channel.PORTAL and g.member_id == me.pk
    bad = client.post(reverse("grievances:new"), {**form, "category": category("claim-decision").pk})
    assert bad.status_code == 400 and Grievance.objects.count() == 1  # a complaint in an appeal's category


def test_it_lists_the_late_ones_first_with_counts(client: Any, make_user: Any) -> None:
    agent = make_user(Role.RECEPTION)
    member = member_with_rib()
    late = _complaint(agent, member, now=timezone.now() - dt.timedelta(days=30))
    fresh = _complaint(agent, member)
    client.force_login(make_user(Role.CLAIMS_OFFICER))
    page = client.get(reverse("grievances:queue")).content.decode()
    assert page.index(late.number) < page.index(fresh.number)
    only_late = client.get(reverse("grievances:queue"), {"late": "on"}).content.decode()
    assert late.number in only_late and fresh.number not in only_late
    summary = grievances_summary()
    [delay] = summary.categories
    assert (delay.code, delay.filed, delay.open, delay.late) == ("delay", 2, 2, 1)
    assert [(b.label, b.count) for b in summary.open_by_age] == [("0-5", 1), ("6-30", 1), ("31+", 0)]


def _provider_file(officer: Any, provider: Provider, member: Any) -> Any:
    lines = [LineInput(kind="act", code="COURONNE", care_date=CARE, paid=Decimal("1200.00"))]
    claim = claim_create(actor=officer, beneficiary=holder(member), filed_on=FILED, channel="provider", lines=lines,
                         provider=provider)  # fmt: skip
    claim = claim_adjudicate(actor=officer, claim=claim)
    return claim_transition(actor=officer, claim=claim, to=ClaimStatus.REJECTED)


def test_it_lets_a_provider_appeal_its_own_claims_only(client: Any, make_user: Any) -> None:
    officer = make_user(Role.CLAIMS_OFFICER)
    mine_p = Provider.objects.create(inpe="100000902", name="Clinique Souissi", kind="clinic", sector="private")
    other_p = Provider.objects.create(inpe="100000903", name="Clinique Agdal", kind="clinic", sector="private")
    member = member_with_rib()
    mine, theirs = _provider_file(officer, mine_p, member), _provider_file(officer, other_p, member_with_rib())
    own_member_file = decided_file(officer=officer, member=member_with_rib())
    _token, secret = api_token_create(actor=None, user=make_user(Role.PROVIDER, provider_id=mine_p.pk))
    auth = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    body = {"kind": "appeal", "category": "claim-decision", "line": 1, "text": "Approval requested on 09-20."}
    url = "/api/v1/grievances/"
    for number in (theirs.number, own_member_file.number):
        r = client.post(url, json.dumps({**body, "claim": number}), content_type="application/json", **auth)
        assert r.status_code == 404
    r = client.post(url, json.dumps({**body, "claim": mine.number}), content_type="application/json", **auth)
    assert (
        r.status_code == 201
        and r.json()["number"] == f"RE{timezone.localdate():%y}-000001"
        and r.json()["status"] == "filed"
    )
    g = Grievance.objects.get()
    assert (g.channel, g.provider_id, g.member_id) == (Channel.API, mine_p.pk, member.pk)
    again = client.post(url, json.dumps({**body, "claim": mine.number}), content_type="application/json", **auth)
    assert again.status_code == 409
    assert client.get(f"{url}{g.number}", **auth).status_code == 200
    _t2, other_secret = api_token_create(actor=None, user=make_user(Role.PROVIDER, provider_id=other_p.pk))
    assert client.get(f"{url}{g.number}", HTTP_AUTHORIZATION=f"Bearer {other_secret}").status_code == 404
    assert client.get(url, HTTP_AUTHORIZATION=f"Bearer {other_secret}").json() == []


def test_it_lets_an_agent_file_for_the_member_from_the_member_s_file(client: Any, make_user: Any) -> None:
    member = member_with_rib()
    client.force_login(make_user(Role.RECEPTION))
    page = client.get(reverse("members:detail", args=[member.pk])).content.decode()
    new_for = reverse("grievances:new_for", args=[member.pk])
    assert new_for in page
    form = {"kind": Kind.COMPLAINT, "category": category("reception").pk, "decision": "", "channel": Channel.PHONE,
            "text": "Called: nobody answers at the branch."}  # fmt: skip
    assert client.post(new_for, form).status_code == 302
    g = Grievance.objects.get()
    assert (g.channel, g.member_id, g.number) == (Channel.PHONE, member.pk, f"RC{timezone.localdate():%y}-000001")
    assert g.number in client.get(reverse("members:detail", args=[member.pk])).content.decode()
    client.force_login(make_user(Role.CENTRE_COORDINATOR))
    assert client.get(new_for).status_code == 403
