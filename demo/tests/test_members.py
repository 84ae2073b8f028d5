from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from accounts.models import Provider, User
from accounts.roles import Role
from members.models import Administration, Beneficiary, Member, MemberStatusChange
from members.rib import rib_is_valid

pytestmark = pytest.mark.django_db


def counts() -> dict[str, int]:
    models = [Administration, Member, Beneficiary, MemberStatusChange, Provider, User]
    return {m.__name__: m.objects.count() for m in models}


def run(members: int = 60) -> str:
    out = StringIO()
    call_command("demo", members=members, seed=7, stdout=out)
    return out.getvalue()


def test_it_is_idempotent_and_prints_the_logins_each_time() -> None:
    first = run()
    before = counts()
    second = run()
    assert counts() == before
    assert before["Member"] == 60 and 15 <= before["Administration"] <= 20 and before["Provider"] >= 25
    for output in (first, second):
        assert "comptable2" in output and "demo1234" in output and "adherent" in output


def test_it_creates_one_user_per_role() -> None:
    run()
    for role in Role:
        assert User.objects.filter(groups__name=role.value).exists(), role
    assert User.objects.filter(groups__name=Role.ACCOUNTANT.value).count() == 2
    admin = User.objects.get(username="admin")
    assert admin.is_superuser and admin.check_password("demo1234")
    assert User.objects.get(username="prestataire").provider is not None


def test_it_links_the_member_user_to_a_member_with_dependants() -> None:
    run()
    member = Member.objects.get(user__username="adherent")
    assert member.beneficiaries.exclude(relation="self").exists()


def test_it_gives_names_in_both_scripts_and_valid_data() -> None:
    run(members=200)
    for ben in Beneficiary.objects.all():
        assert ben.last_name and ben.first_name
        assert any("\u0600" <= ch <= "\u06ff" for ch in ben.last_name_ar + ben.first_name_ar)
        assert ben.card_number == f"{ben.member.membership_number}-{ben.rank:02d}"
    ribs = list(Member.objects.exclude(rib="").values_list("rib", flat=True))
    assert ribs and all(rib_is_valid(r) for r in ribs) and Member.objects.filter(rib="").exists()
    assert Member.objects.values("cin").distinct().count() == 200
    for member in Member.objects.all():
        last = member.status_history.order_by("valid_from").last()
        assert last is not None and (last.status, last.valid_from) == (member.status, member.status_since)
    assert Member.objects.exclude(status="active").exists()
