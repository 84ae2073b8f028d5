from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from members.models import Beneficiary, Member, MemberStatusChange, Relation
from members.tests.registry_factories import dependant_make, member_make

pytestmark = pytest.mark.django_db


def _person(member: Member, **kwargs: object) -> Beneficiary:
    data: dict[str, object] = {
        "member": member,
        "last_name": "X",
        "first_name": "Y",
        "last_name_ar": "س",
        "first_name_ar": "ص",
        "birth_date": dt.date(1990, 1, 1),
        "sex": "F",
    }
    data.update(kwargs)
    return Beneficiary(**data)


def test_it_refuses_a_second_self_beneficiary() -> None:
    member = member_make()
    with pytest.raises(IntegrityError), transaction.atomic():
        _person(member, relation=Relation.SELF, rank=0, card_number="X-0").save()


def test_it_refuses_rank_zero_for_a_dependant_and_a_self_with_a_rank() -> None:
    member = member_make()
    Beneficiary.objects.filter(member=member).delete()
    with pytest.raises(IntegrityError), transaction.atomic():
        _person(member, relation=Relation.CHILD, rank=0, card_number="X-1").save()
    with pytest.raises(IntegrityError), transaction.atomic():
        _person(member, relation=Relation.SELF, rank=3, card_number="X-2").save()


def test_it_refuses_a_duplicate_rank_and_card_number() -> None:
    member = member_make()
    child = dependant_make(member)
    with pytest.raises(IntegrityError), transaction.atomic():
        _person(member, relation=Relation.CHILD, rank=child.rank, card_number="X-3").save()
    with pytest.raises(IntegrityError), transaction.atomic():
        _person(member, relation=Relation.CHILD, rank=9, card_number=child.card_number).save()


@pytest.mark.parametrize("rib", ["12345", "01178000012345678901234X", "01178000012345678901234"])
def test_it_refuses_a_malformed_rib_in_the_database(rib: str) -> None:
    member = member_make()
    with pytest.raises(IntegrityError), transaction.atomic():
        Member.objects.filter(pk=member.pk).update(rib=rib)


def test_it_refuses_an_unknown_status_and_two_status_changes_on_one_day() -> None:
    member = member_make()
    with pytest.raises(IntegrityError), transaction.atomic():
        Member.objects.filter(pk=member.pk).update(status="lost")
    with pytest.raises(IntegrityError), transaction.atomic():
        MemberStatusChange.objects.create(member=member, status="retired", valid_from=member.joined_on)


def test_it_refuses_a_disabled_dependant_without_certificate_in_the_database() -> None:
    member = member_make()
    child = dependant_make(member)
    with pytest.raises(IntegrityError), transaction.atomic():
        Beneficiary.objects.filter(pk=child.pk).update(disabled=True, disability_certificate="")
