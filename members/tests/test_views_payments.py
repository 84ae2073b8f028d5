from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.roles import Role
from members.tests.registry_factories import member_make

pytestmark = pytest.mark.django_db


def test_it_shows_the_payments_section_to_accountants_and_the_member(client_for, make_user, client) -> None:  # type: ignore[no-untyped-def]
    member = member_make()
    url = reverse("members:detail", args=[member.pk])
    accountant = client_for(Role.ACCOUNTANT)
    assert 'id="member-payments"' in accountant.get(url).content.decode()

    owner = make_user(Role.MEMBER)
    member.user = owner
    member.save(update_fields=["user"])
    client.force_login(owner)
    assert 'id="member-payments"' in client.get(url).content.decode()


def test_it_leaves_the_payments_out_for_reception_agents(client_for) -> None:  # type: ignore[no-untyped-def]
    member = member_make()
    response = client_for(Role.RECEPTION).get(reverse("members:detail", args=[member.pk]))
    assert response.status_code == 200
    assert 'id="member-payments"' not in response.content.decode()
