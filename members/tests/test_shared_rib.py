"""A RIB already on another member's file: a warning the counter agent confirms (joint accounts)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.roles import Role
from members.models import Member
from members.tests.registry_factories import member_make, valid_rib
from members.tests.test_views import _form_data

pytestmark = pytest.mark.django_db


def test_a_rib_on_another_members_file_is_warned_and_kept_only_when_confirmed(client_for) -> None:  # type: ignore[no-untyped-def]
    spouse = member_make(rib=valid_rib())
    client = client_for(Role.RECEPTION)
    warned = client.post(reverse("members:create"), _form_data())
    assert warned.status_code == 400 and not Member.objects.filter(membership_number="700001").exists()
    errors = warned.context["form"].errors["rib"]
    assert len(errors) == 1 and spouse.membership_number in errors[0] and "joint account" in errors[0]
    confirmed = client.post(reverse("members:create"), _form_data(rib_shared="on"))
    assert confirmed.status_code == 302
    assert Member.objects.get(membership_number="700001").rib == spouse.rib == valid_rib()


def test_an_edit_keeping_the_same_shared_rib_asks_nothing_and_a_new_one_is_checked(client_for) -> None:  # type: ignore[no-untyped-def]
    first, second = member_make(rib=valid_rib()), member_make(rib="")
    client = client_for(Role.RECEPTION)
    data = _form_data(matricule=second.matricule, cin=second.cin)
    data.pop("membership_number")
    assert client.post(reverse("members:edit", args=[second.pk]), data).status_code == 400  # first's RIB
    second.refresh_from_db()
    assert second.rib == ""
    data["rib_shared"] = "on"
    assert client.post(reverse("members:edit", args=[second.pk]), data).status_code == 302
    data.pop("rib_shared")  # the RIB is now on this file: saving it again asks nothing
    assert client.post(reverse("members:edit", args=[second.pk]), {**data, "city": "Fès"}).status_code == 302
    second.refresh_from_db()
    assert (second.rib, second.city, first.rib) == (valid_rib(), "Fès", valid_rib())
