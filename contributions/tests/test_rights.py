"""Arrears and rights: settlement before the suspension, the transition table, the job from the
page, the letter in Arabic and French, the member's file, the dated rules and the payer."""

from __future__ import annotations

import datetime as dt
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts.roles import Role
from audit.models import AuditEvent
from claims.tests.factories import member_make
from contributions.models import ArrearsNotice, RightsState
from contributions.services_rights import (
    EVENT_NOTICE,
    EVENT_SUSPENDED,
    RIGHTS_TRANSITIONS,
    RightsRefused,
    rights_review_run,
    rights_transition_apply,
)
from contributions.tests.factories import entry_make
from jobs.models import Job, JobState
from jobs.services import job_work
from members.models import RightsSuspension
from members.outbox import NOTIFY
from referentials.models import Parameter
from referentials.selectors import basic_payer_on
from referentials.services import referential_row_replace

pytestmark = pytest.mark.django_db
JAN, FEB, MAR = (dt.date(2026, m, 1) for m in (1, 2, 3))


def _in_arrears(months: tuple[dt.date, ...] = (JAN, FEB, MAR), amount: str = "36.00"):  # type: ignore[no-untyped-def]
    member = member_make()
    for month in months:
        entry_make(member, month, "due", amount)
    return member


def _events(kind: str) -> list[dict[str, object]]:
    return [item[1] for job in Job.objects.filter(kind=NOTIFY, params__event=kind) for item in job.params["items"]]


def test_it_notices_at_the_threshold_only_and_tells_the_member() -> None:
    two = _in_arrears((FEB, MAR))
    three = _in_arrears()
    assert rights_review_run(actor=None, as_of=dt.date(2026, 4, 5)).noticed == [three.pk]
    notice = ArrearsNotice.objects.get()
    # 3 months x 36.00 = 108.00; suspended without payment on 2026-04-05 + 30 days = 2026-05-05.
    assert (notice.amount_due, notice.unpaid_months, notice.first_unpaid_month) == (Decimal("108.00"), 3, JAN)
    assert notice.suspend_on == dt.date(2026, 5, 5)
    assert _events(EVENT_NOTICE) == [
        {"notice": str(notice.pk), "amount": "108.00", "months": "3", "suspend_on": "2026-05-05",
         "suspended_from": "", "restored_from": ""}
    ]  # fmt: skip
    assert AuditEvent.objects.filter(object_type="contributions.arrearsnotice", action="create").count() == 1
    assert not ArrearsNotice.objects.filter(member=two).exists()


def test_it_settles_a_case_paid_before_the_suspension_date_and_suspends_nobody() -> None:
    member = _in_arrears()
    rights_review_run(actor=None, as_of=dt.date(2026, 4, 5))
    for month in (JAN, FEB, MAR):
        entry_make(member, month, "paid", "36.00", paid_on=dt.date(2026, 4, 30))
    assert rights_review_run(actor=None, as_of=dt.date(2026, 5, 10)).settled == [member.pk]
    notice = ArrearsNotice.objects.get()
    assert (notice.state, notice.closed_on, notice.suspension) == (RightsState.SETTLED, dt.date(2026, 4, 30), None)
    assert not RightsSuspension.objects.exists()


def test_it_suspends_then_restores_a_member_who_paid_after_the_date_before_the_review_ran() -> None:
    member = _in_arrears()
    rights_review_run(actor=None, as_of=dt.date(2026, 4, 5))
    for month in (JAN, FEB, MAR):
        entry_make(member, month, "paid", "36.00", paid_on=dt.date(2026, 5, 12))
    result = rights_review_run(actor=None, as_of=dt.date(2026, 5, 20))
    assert (result.suspended, result.restored) == ([member.pk], [member.pk])
    s = RightsSuspension.objects.get()
    assert (s.starts_on, s.ends_on) == (dt.date(2026, 5, 5), dt.date(2026, 5, 12))
    assert len(_events(EVENT_SUSPENDED)) == 1


def test_it_refuses_a_step_not_in_the_table_and_changes_nothing() -> None:
    member = _in_arrears()
    rights_review_run(actor=None, as_of=dt.date(2026, 4, 5))
    notice = ArrearsNotice.objects.get(member=member)
    assert (RightsState.NOTICED, RightsState.RESTORED) not in RIGHTS_TRANSITIONS
    with pytest.raises(RightsRefused):
        rights_transition_apply(actor=None, case=notice, to=RightsState.RESTORED, on=dt.date(2026, 6, 1))
    notice.refresh_from_db()
    assert notice.state == RightsState.NOTICED and not RightsSuspension.objects.exists()


def test_it_reads_the_threshold_in_force_on_the_review_date(make_user) -> None:
    member = _in_arrears()
    row = Parameter.objects.get(name="arrears_notice_months", valid_to__isnull=True)
    referential_row_replace(actor=make_user(Role.ADMINISTRATOR), row=row, valid_from=dt.date(2026, 4, 1),
                            changes={"value": 4})  # fmt: skip
    assert rights_review_run(actor=None, as_of=dt.date(2026, 4, 5)).noticed == []  # 3 < 4 from 2026-04-01
    assert rights_review_run(actor=None, as_of=dt.date(2026, 3, 31)).noticed == []  # only 2 months before March
    entry_make(member, dt.date(2026, 4, 1), "due", "36.00")
    assert rights_review_run(actor=None, as_of=dt.date(2026, 5, 2)).noticed == [member.pk]


def test_the_command_reviews_and_a_second_run_changes_nothing(capsys) -> None:  # type: ignore[no-untyped-def]
    _in_arrears()
    call_command("arrears_review", "--as-of", "2026-04-05")
    call_command("arrears_review", "--as-of", "2026-04-05")
    out = capsys.readouterr().out.splitlines()
    assert '"noticed": 1' in out[0] and '"noticed": 0' in out[1]
    assert ArrearsNotice.objects.count() == 1


def test_the_accountant_runs_the_review_from_the_page_as_a_job(client_for) -> None:
    member = _in_arrears()
    client = client_for(Role.ACCOUNTANT)
    response = client.post(reverse("contributions:arrears_review"), {"as_of": "2026-04-05"})
    assert response.status_code == 302
    job_work(worker="test", kinds=["contributions.rights_review"])
    job = Job.objects.get(kind="contributions.rights_review")
    assert job.state == JobState.DONE and job.progress["noticed"] == 1
    page = client.get(reverse("contributions:arrears_list"))
    assert page.status_code == 200 and member.membership_number in page.content.decode()
    assert client.post(reverse("contributions:arrears_review"), {"as_of": "not a date"}).status_code == 400


def test_only_accountants_run_the_review(client_for) -> None:
    client = client_for(Role.RECEPTION)
    assert client.post(reverse("contributions:arrears_review"), {"as_of": "2026-04-05"}).status_code == 403
    assert not Job.objects.filter(kind="contributions.rights_review").exists()


@pytest.mark.parametrize("lang", ["ar", "fr"])
def test_it_prints_the_letter_with_the_letterhead(client_for, tmp_path: Path, lang: str) -> None:
    _in_arrears()
    rights_review_run(actor=None, as_of=dt.date(2026, 4, 5))
    notice = ArrearsNotice.objects.get()
    response = client_for(Role.ACCOUNTANT).get(reverse("contributions:arrears_letter", args=[notice.pk, lang]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    path = tmp_path / "letter.pdf"
    path.write_bytes(response.content)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "108" in text and "2026-05-05" in text and notice.reference in text
    assert notice.member.membership_number in text  # the member's, not the holder's (which has none)


def test_the_member_file_shows_the_notice_and_the_suspension(client_for) -> None:
    member = _in_arrears()
    rights_review_run(actor=None, as_of=dt.date(2026, 4, 5))
    rights_review_run(actor=None, as_of=dt.date(2026, 5, 5))
    page = client_for(Role.RECEPTION).get(reverse("members:detail", args=[member.pk])).content.decode()
    assert 'id="member-rights"' in page and "2026-05-05" in page


def test_it_names_the_payer_of_the_date_cnops_today_cnss_from_the_reform(make_user) -> None:
    from referentials.models import BasicPayer

    row = BasicPayer.objects.get(valid_to__isnull=True)
    referential_row_replace(actor=make_user(Role.ADMINISTRATOR), row=row, valid_from=dt.date(2027, 1, 1),
                            changes={"code": "CNSS", "name_fr": "Caisse nationale de sécurité sociale",
                                     "name_ar": "الصندوق الوطني للضمان الاجتماعي", "name_en": "CNSS",
                                     "by_delegation": False})  # fmt: skip
    assert basic_payer_on(on=dt.date(2026, 12, 31)).code == "CNOPS"  # type: ignore[union-attr]
    assert basic_payer_on(on=dt.date(2027, 1, 1)).code == "CNSS"  # type: ignore[union-attr]


def test_the_referentials_page_shows_every_row_past_and_future(client_for, make_user) -> None:
    row = Parameter.objects.get(name="student_age_limit", valid_to__isnull=True)
    referential_row_replace(actor=make_user(Role.ADMINISTRATOR), row=row, valid_from=dt.date(2027, 9, 1),
                            changes={"value": 30})  # fmt: skip
    page = client_for(Role.AUDITOR).get(reverse("referentials:parameters")).content.decode()
    assert "2027-09-01" in page and ">30<" in page and "CNOPS" in page
    assert client_for(Role.MEMBER).get(reverse("referentials:parameters")).status_code == 403


def test_the_member_sees_its_notice_and_suspension_in_its_space(client, make_user) -> None:  # type: ignore[no-untyped-def]
    user = make_user(Role.MEMBER)
    member = member_make(user=user)
    for month in (JAN, FEB, MAR):
        entry_make(member, month, "due", "36.00")
    rights_review_run(actor=None, as_of=dt.date(2026, 4, 5))
    rights_review_run(actor=None, as_of=dt.date(2026, 5, 5))
    client.force_login(user)
    page = client.get(reverse("portal:home")).content.decode()
    assert 'id="member-rights"' in page and "2026-05-05" in page
    notice = ArrearsNotice.objects.get(member=member)
    assert client.get(reverse("contributions:arrears_letter", args=[notice.pk, "fr"])).status_code == 200
    other = ArrearsNotice.objects.create(
        member=member_make(),
        noticed_on=JAN,
        unpaid_months=3,
        first_unpaid_month=JAN,
        amount_due=Decimal("1.00"),
        suspend_on=FEB,
    )
    assert client.get(reverse("contributions:arrears_letter", args=[other.pk, "fr"])).status_code == 403


def test_the_demo_walks_notice_suspension_and_a_restoration_by_receipt(make_user) -> None:  # type: ignore[no-untyped-def]
    from demo.rights import demo_rights_ensure

    make_user(Role.RECEPTION, username="reception")
    members = [_in_arrears((JAN, FEB, MAR, dt.date(2026, 4, 1))) for _ in range(3)]
    counts = demo_rights_ensure(today=dt.date(2026, 6, 15))
    assert counts == {"noticed": 0, "suspended": 2, "restored": 1, "settled": 0}
    restored = ArrearsNotice.objects.get(state=RightsState.RESTORED)
    # Noticed 2026-05-01, suspended from 2026-05-31, paid at the counter on 2026-06-10.
    assert (restored.noticed_on, restored.suspension.starts_on, restored.closed_on) == (  # type: ignore[union-attr]
        dt.date(2026, 5, 1), dt.date(2026, 5, 31), dt.date(2026, 6, 10))  # fmt: skip
    assert restored.member_id in {m.pk for m in members}
    assert demo_rights_ensure(today=dt.date(2026, 6, 15)) == counts  # idempotent


def test_statements_certificates_and_bank_files_name_the_payer() -> None:
    from django.template import Context, Template
    from django.utils import translation

    from payments.services.prepare import debtor_name_for

    html = Template("{% load basic_payer %}{% basic_payer_line day %}")
    with translation.override("fr"):
        text = html.render(Context({"day": dt.date(2026, 5, 1)}))
    assert "Caisse nationale des organismes de prévoyance sociale" in text and "CNOPS" in text
    with translation.override("ar"):
        assert "الصندوق الوطني لمنظمات الاحتياط الاجتماعي" in html.render(Context({"day": dt.date(2026, 5, 1)}))
    assert debtor_name_for(kind="member_transfer", on=dt.date(2026, 5, 1)).endswith(" pour compte CNOPS")
    assert "CNOPS" not in debtor_name_for(kind="allowance_transfer", on=dt.date(2026, 5, 1))


def test_the_simulator_takes_past_suspensions_and_still_the_single_date() -> None:
    from claims.simulator.services import SimulationError, simulation_run

    def run(**beneficiary: object) -> list[str]:
        data = {
            "filed_on": "2026-05-20", "filed_by": "member",
            "provider": {"sector": "private", "kind": "doctor", "inpe": "123456789"},
            "beneficiary": {"relation": "self", "birth_date": "1980-01-01", "member_joined": "2010-01-01",
                            **beneficiary},
            "lines": [{"kind": "act", "code": "C", "date": "2026-05-10", "paid": "100.00"}],
        }  # fmt: skip
        return [
            r["code"] if isinstance(r, dict) else r for r in simulation_run(data=data, lang="fr")["lines"][0]["reasons"]
        ]

    assert "RIGHTS_SUSPENDED" in run(rights_suspended_from="2026-05-02")
    assert "RIGHTS_SUSPENDED" in run(suspensions=[{"from": "2026-05-02", "until": "2026-05-11"}])
    assert "RIGHTS_SUSPENDED" not in run(suspensions=[{"from": "2026-05-02", "until": "2026-05-10"}])
    with pytest.raises(SimulationError):
        run(suspensions=[{"from": "2026-05-02", "until": "2026-05-02"}])


def test_the_simulator_api_takes_suspensions(client) -> None:  # type: ignore[no-untyped-def]
    import json

    from django.core.cache import cache

    cache.clear()
    body = {
        "filed_on": "2026-05-20", "filed_by": "member",
        "provider": {"sector": "private", "kind": "doctor", "inpe": "123456789"},
        "beneficiary": {"relation": "self", "birth_date": "1980-01-01", "member_joined": "2010-01-01",
                        "suspensions": [{"from": "2026-05-02", "until": "2026-05-11"}]},
        "lines": [{"kind": "act", "code": "C", "date": "2026-05-10", "paid": "100.00"}],
    }  # fmt: skip
    response = client.post("/api/v1/simulate/claim", json.dumps(body), content_type="application/json")
    assert response.status_code == 200
    assert "RIGHTS_SUSPENDED" in json.dumps(response.json()["lines"][0]["reasons"])
    body["beneficiary"]["suspensions"] = [{"from": "not a date"}]  # type: ignore[index]
    bad = client.post("/api/v1/simulate/claim", json.dumps(body), content_type="application/json")
    assert bad.status_code == 422
    cache.clear()


@pytest.mark.parametrize(("lang", "day"), [("fr", "12 mai 2026"), ("ar", "12 مايو، 2026")])
def test_it_writes_the_dates_of_a_notice_in_the_readers_language(lang: str, day: str) -> None:
    from django.utils import translation

    from contributions.arrears_notify import _notice, _restored, _suspended

    member = member_make()
    with translation.override(lang):
        texts = [
            _notice(member, {"amount": "108.00", "months": "3", "suspend_on": "2026-05-12"}).body,
            _suspended(member, {"amount": "108.00", "suspended_from": "2026-05-12"}).body,
            _restored(member, {"restored_from": "2026-05-12"}).body,
        ]
    for text in texts:
        assert day in text
        assert "2026-05-12" not in text
