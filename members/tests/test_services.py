from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.roles import Role
from audit.models import AuditEvent
from members.models import Beneficiary, Member, MemberStatus, MemberStatusChange, Relation
from members.rules import BIRTH_IN_FUTURE, DISABLED_NEEDS_CERTIFICATE
from members.services import (
    STATUS_BEFORE_JOINING,
    STATUS_SAME_DAY,
    beneficiary_search_text,
    beneficiary_update,
    member_status_change,
    member_statuses_apply_due,
    member_update,
)
from members.tests.registry_factories import dependant_make, member_make
from members.validators import CIN_INVALID, RIB_INVALID


@pytest.fixture
def agent(make_user):  # type: ignore[no-untyped-def]
    return make_user(Role.RECEPTION)


def test_it_creates_the_member_its_self_beneficiary_first_status_and_audit_event(agent) -> None:  # type: ignore[no-untyped-def]
    member = member_make(agent, membership_number="123456", cin="ab 12345", joined_on=dt.date(2021, 9, 1))
    holder = Beneficiary.objects.get(member=member)
    assert (holder.relation, holder.rank, holder.card_number, holder.cin) == (Relation.SELF, 0, "123456-00", "AB12345")
    assert (member.status, member.status_since) == (MemberStatus.ACTIVE, dt.date(2021, 9, 1))
    history = list(MemberStatusChange.objects.filter(member=member).values_list("status", "valid_from", "recorded_by"))
    assert history == [("active", dt.date(2021, 9, 1), agent.pk)]
    event = AuditEvent.objects.get(member_id=member.pk)
    assert (event.action, event.actor, event.before) == ("create", agent, None)
    assert event.after["membership_number"] == "123456"
    assert event.after["holder.last_name"] == "El Amrani"


def test_it_keeps_a_folded_search_text_with_names_and_numbers(agent) -> None:  # type: ignore[no-untyped-def]
    member = member_make(agent, membership_number="654321", matricule="77777", cin="K9", last_name="ÉL-AMRANI")
    holder = Beneficiary.objects.get(member=member)
    assert holder.search_text == " ahmed el amrani احمد العمراني 654321 00 654321 77777 k9 "
    assert beneficiary_search_text(holder, member) == holder.search_text


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"rib": "011780000123456789012300"}, "rib", RIB_INVALID),
        ({"cin": "1234AB"}, "cin", CIN_INVALID),
        ({"birth_date": timezone.localdate() + dt.timedelta(days=1)}, "birth_date", BIRTH_IN_FUTURE),
    ],
)
def test_it_refuses_bad_input_with_a_translated_message_and_writes_nothing(agent, overrides, field, message) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as exc:
        member_make(agent, **overrides)
    assert str(message) in exc.value.message_dict[field]
    assert not Member.objects.exists() and not AuditEvent.objects.exists()


def test_it_refuses_a_duplicate_matricule_and_cin(agent) -> None:  # type: ignore[no-untyped-def]
    member_make(agent, matricule="55555", cin="AB1")
    with pytest.raises(ValidationError) as exc:
        member_make(agent, matricule="55555", cin="ab1")
    assert set(exc.value.message_dict) >= {"matricule", "cin"}
    assert Member.objects.count() == 1


def test_it_updates_member_and_holder_with_before_and_after(agent) -> None:  # type: ignore[no-untyped-def]
    member = member_make(agent, matricule="11111")
    member_update(actor=agent, member=member, matricule="22222", first_name="Ahmad", city="Fès")
    member.refresh_from_db()
    holder = Beneficiary.objects.get(member=member)
    assert (member.matricule, member.city, holder.first_name) == ("22222", "Fès", "Ahmad")
    assert " 22222 " in holder.search_text and " ahmad " in holder.search_text
    event = AuditEvent.objects.filter(member_id=member.pk, action="update").get()
    changes = {name: (old, new) for name, old, new in event.changes()}
    assert changes == {
        "matricule": ("11111", "22222"),
        "city": ("Rabat", "Fès"),
        "holder.first_name": ("Ahmed", "Ahmad"),
    }


def test_it_refreshes_dependants_search_text_when_member_numbers_change(agent) -> None:  # type: ignore[no-untyped-def]
    member = member_make(agent, cin="AB5")
    child = dependant_make(member, agent)
    member_update(actor=agent, member=member, cin="CD6")
    child.refresh_from_db()
    assert " cd6 " in child.search_text and " ab5 " not in child.search_text


def test_it_refuses_an_invalid_update_and_changes_nothing(agent) -> None:  # type: ignore[no-untyped-def]
    member = member_make(agent)
    with pytest.raises(ValidationError) as exc:
        member_update(actor=agent, member=member, rib="123", city="Oujda")
    assert exc.value.message_dict["rib"] == [str(RIB_INVALID)]
    member.refresh_from_db()
    assert member.city == "Rabat"
    assert not AuditEvent.objects.filter(action="update").exists()
    with pytest.raises(TypeError):
        member_update(actor=agent, member=member, status="retired")


def test_it_adds_dependants_on_the_next_ranks_with_several_spouses(agent) -> None:  # type: ignore[no-untyped-def]
    member = member_make(agent, membership_number="300001")
    first = dependant_make(member, agent, relation=Relation.SPOUSE, first_name="Fatima")
    second = dependant_make(member, agent, relation=Relation.SPOUSE, first_name="Khadija")
    child = dependant_make(
        member, agent, school_certificate_until=dt.date(2030, 6, 30), disabled=True, disability_certificate="CH-77"
    )
    assert [(b.rank, b.card_number) for b in (first, second, child)] == [
        (1, "300001-01"),
        (2, "300001-02"),
        (3, "300001-03"),
    ]
    event = AuditEvent.objects.get(object_type="members.beneficiary", object_id=str(child.pk))
    assert (event.action, event.member_id, event.after["disability_certificate"]) == ("create", member.pk, "CH-77")


def test_it_refuses_a_disabled_child_without_certificate_and_a_self_dependant(agent) -> None:  # type: ignore[no-untyped-def]
    member = member_make(agent)
    with pytest.raises(ValidationError) as exc:
        dependant_make(member, agent, disabled=True)
    assert exc.value.message_dict["disability_certificate"] == [str(DISABLED_NEEDS_CERTIFICATE)]
    with pytest.raises(ValidationError):
        dependant_make(member, agent, relation=Relation.SELF)
    with pytest.raises(ValidationError):
        dependant_make(member, agent, birth_date=timezone.localdate() + dt.timedelta(days=3))
    assert Beneficiary.objects.filter(member=member).count() == 1


def test_it_updates_a_dependant_with_audit_and_search_text(agent) -> None:  # type: ignore[no-untyped-def]
    member = member_make(agent)
    spouse = dependant_make(member, agent, relation=Relation.SPOUSE, first_name="Fatima", first_name_ar="فاطمة")
    beneficiary_update(actor=agent, beneficiary=spouse, covered_until=dt.date(2024, 5, 31), first_name="Fatema")
    spouse.refresh_from_db()
    assert spouse.covered_until == dt.date(2024, 5, 31) and " fatema " in spouse.search_text
    event = AuditEvent.objects.get(action="update", object_id=str(spouse.pk))
    assert ("covered_until", None, "2024-05-31") in event.changes()


def test_it_records_a_past_status_change_and_applies_it(agent) -> None:  # type: ignore[no-untyped-def]
    member = member_make(agent, joined_on=dt.date(2015, 1, 1))
    member_status_change(actor=agent, member=member, status="retired", valid_from=dt.date(2023, 7, 1), note="pension")
    member.refresh_from_db()
    assert (member.status, member.status_since) == ("retired", dt.date(2023, 7, 1))
    event = AuditEvent.objects.get(action="transition")
    assert event.before == {"status": "active", "status_since": "2015-01-01"}
    assert event.after["status"] == "retired" and event.note == "pension"


def test_it_keeps_the_current_status_until_a_future_change_is_due(agent) -> None:  # type: ignore[no-untyped-def]
    member = member_make(agent, joined_on=dt.date(2015, 1, 1))
    later = timezone.localdate() + dt.timedelta(days=30)
    member_status_change(actor=agent, member=member, status="resigned", valid_from=later, note="")
    member.refresh_from_db()
    assert member.status == "active"
    assert MemberStatusChange.objects.filter(member=member, status="resigned", valid_from=later).exists()


def test_it_refuses_a_status_before_joining_or_twice_the_same_day(agent) -> None:  # type: ignore[no-untyped-def]
    member = member_make(agent, joined_on=dt.date(2015, 1, 1))
    with pytest.raises(ValidationError) as exc:
        member_status_change(actor=agent, member=member, status="retired", valid_from=dt.date(2014, 12, 31), note="")
    assert exc.value.message_dict["valid_from"] == [str(STATUS_BEFORE_JOINING)]
    with pytest.raises(ValidationError) as exc:
        member_status_change(actor=agent, member=member, status="retired", valid_from=dt.date(2015, 1, 1), note="")
    assert exc.value.message_dict["valid_from"] == [str(STATUS_SAME_DAY)]
    assert not AuditEvent.objects.filter(action="transition").exists()


def test_it_applies_a_dated_status_change_once_its_day_has_come(agent) -> None:  # type: ignore[no-untyped-def]
    member = member_make(agent, joined_on=dt.date(2015, 1, 1))
    later = timezone.localdate() + dt.timedelta(days=10)
    member_status_change(actor=agent, member=member, status="retired", valid_from=later, note="")
    assert member_statuses_apply_due(actor=None, today=later - dt.timedelta(days=1)) == 0
    assert member_statuses_apply_due(actor=None, today=later) == 1
    assert member_statuses_apply_due(actor=None, today=later) == 0  # rerun changes nothing
    member.refresh_from_db()
    assert (member.status, member.status_since) == ("retired", later)
    event = AuditEvent.objects.filter(action="transition").order_by("-id").first()
    assert event is not None and event.after == {"status": "retired", "status_since": later.isoformat()}
