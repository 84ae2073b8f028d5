"""Referentials in the Django admin: administrators only, audited, history never overwritten."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from accounts.roles import Role
from audit.models import AuditEvent
from referentials.models import KeyLetter, Medicine
from referentials.services import MSG_OVERLAP

pytestmark = pytest.mark.django_db
ADD = "/admin/referentials/medicine/add/"


def _medicine_post(**kw: str) -> dict[str, str]:
    return {"code": "ADM-1", "name": "Test", "public_price": "12.00", "valid_from": "2026-01-01", **kw}


def test_it_lets_an_administrator_add_a_row_and_audits_it(client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for(Role.ADMINISTRATOR)
    assert client.get("/admin/referentials/medicine/").status_code == 200
    response = client.post(ADD, _medicine_post(reimbursable="on"))
    assert response.status_code == 302
    row = Medicine.objects.get(code="ADM-1")
    event = AuditEvent.objects.get(object_type="referentials.medicine", object_id=str(row.pk))
    assert (event.action, event.actor, event.after["public_price"]) == ("create", client.user, "12.00")


def test_it_refuses_an_overlapping_row_in_the_admin_form(client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for(Role.ADMINISTRATOR)
    client.post(ADD, _medicine_post())
    response = client.post(ADD, _medicine_post(valid_from="2026-06-01"))
    assert response.status_code == 200
    assert response.context["adminform"].form.non_field_errors() == [str(MSG_OVERLAP)]
    assert Medicine.objects.filter(code="ADM-1").count() == 1


def test_it_turns_a_value_change_into_a_new_dated_row(client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for(Role.ADMINISTRATOR)
    row = KeyLetter.objects.get(letter="Z", sector="public")
    url = f"/admin/referentials/keyletter/{row.pk}/change/"
    post = {"value": "12.00", "category": "imaging", "valid_to": ""}
    refused = client.post(url, post)  # no "apply from": the old value would be lost
    assert refused.status_code == 200
    assert KeyLetter.objects.filter(letter="Z", sector="public").count() == 1
    assert client.post(url, {**post, "apply_from": "2026-09-01"}).status_code == 302
    rows = list(KeyLetter.objects.filter(letter="Z", sector="public").order_by("valid_from"))
    assert [(r.value, r.valid_from, r.valid_to) for r in rows] == [
        (Decimal("10.00"), date(2006, 1, 1), date(2026, 9, 1)),
        (Decimal("12.00"), date(2026, 9, 1), None),
    ]
    assert AuditEvent.objects.filter(object_type="referentials.keyletter").count() == 2


def test_it_keeps_a_reception_agent_out_of_the_admin(client_for, make_user, client) -> None:  # type: ignore[no-untyped-def]
    agent = client_for(Role.RECEPTION)
    response = agent.get("/admin/referentials/medicine/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    # Even a staff flag does not give the referential permissions to the role.
    staff_agent = make_user(Role.RECEPTION, username="staffagent")
    staff_agent.is_staff = True
    staff_agent.save()
    client.force_login(staff_agent)
    assert client.get("/admin/referentials/medicine/").status_code == 403
    assert client.post(ADD, _medicine_post()).status_code == 403
    row = KeyLetter.objects.get(letter="C", sector="public")
    change = client.post(f"/admin/referentials/keyletter/{row.pk}/change/", {"value": "1", "apply_from": "2026-01-01"})
    assert change.status_code == 403
    assert not Medicine.objects.filter(code="ADM-1").exists()
    assert KeyLetter.objects.filter(letter="C", sector="public").count() == 1


def test_it_lets_an_auditor_read_but_not_change(client_for) -> None:  # type: ignore[no-untyped-def]
    auditor = client_for(Role.AUDITOR)
    auditor.user.is_staff = True
    auditor.user.save()
    assert auditor.get("/admin/referentials/act/").status_code == 200
    assert auditor.post(ADD, _medicine_post()).status_code == 403


def test_it_never_offers_deletion(client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for(Role.ADMINISTRATOR)
    row = Medicine.objects.first()
    assert row is not None
    assert client.post(f"/admin/referentials/medicine/{row.pk}/delete/", {"post": "yes"}).status_code == 403
    assert Medicine.objects.filter(pk=row.pk).exists()


def test_it_lists_the_years_holidays_on_the_referentials_page(client_for) -> None:  # type: ignore[no-untyped-def]
    from django.urls import reverse
    from django.utils import timezone

    from referentials.models import PublicHoliday

    year = timezone.localdate().year
    PublicHoliday.objects.create(day=date(year + 1, 12, 31), name_fr="Essai", name_ar="عطلة تجريبية", provisional=True)
    PublicHoliday.objects.create(day=date(year - 1, 12, 31), name_fr="Ancien", name_ar="عطلة قديمة")
    html = client_for(Role.AUDITOR).get(reverse("referentials:parameters"), HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert "عطلة تجريبية" in html and f"<bdi>{year + 1}-12-31</bdi>" in html and "Essai" not in html
    assert "عطلة قديمة" not in html  # last year's are history, not shown
    assert html.count('id="holidays"') == 1 and "<section" not in html.split("</title>")[0]
