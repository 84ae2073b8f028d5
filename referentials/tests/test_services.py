from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from accounts.roles import Role
from audit.models import AuditEvent
from referentials.models import ComplementaryRule, KeyLetter, Medicine
from referentials.services import referential_row_close, referential_row_create, referential_row_replace

pytestmark = pytest.mark.django_db


def _medicine(**kw: object) -> dict[str, object]:
    return {"code": "TEST-1", "name": "Test", "public_price": Decimal("10.00"), "valid_from": date(2020, 1, 1), **kw}


def test_it_refuses_an_overlapping_row_of_the_same_key(make_user) -> None:  # type: ignore[no-untyped-def]
    admin = make_user(Role.ADMINISTRATOR)
    referential_row_create(actor=admin, model=Medicine, values=_medicine(valid_to=date(2021, 1, 1)))
    with pytest.raises(ValidationError):
        referential_row_create(actor=admin, model=Medicine, values=_medicine(valid_from=date(2020, 12, 31)))
    # The day the first row ends (exclusive) is free; another code is independent.
    referential_row_create(actor=admin, model=Medicine, values=_medicine(valid_from=date(2021, 1, 1)))
    referential_row_create(actor=admin, model=Medicine, values=_medicine(code="TEST-2"))
    with pytest.raises(ValidationError):
        referential_row_create(actor=admin, model=Medicine, values=_medicine(valid_from=date(2019, 1, 1)))
    assert Medicine.objects.filter(code="TEST-1").count() == 2


def test_it_replaces_a_value_by_closing_the_old_row_and_keeps_history(make_user) -> None:  # type: ignore[no-untyped-def]
    admin = make_user(Role.ADMINISTRATOR)
    old = KeyLetter.objects.get(letter="C", sector="private")
    new = referential_row_replace(actor=admin, row=old, valid_from=date(2026, 7, 1), changes={"value": Decimal("100")})
    old.refresh_from_db()
    assert (old.value, old.valid_to) == (Decimal("80.00"), date(2026, 7, 1))
    assert (new.value, new.valid_from, new.valid_to, new.letter, new.sector) == (
        Decimal("100"),
        date(2026, 7, 1),
        None,
        "C",
        "private",
    )
    events = AuditEvent.objects.filter(object_type="referentials.keyletter").order_by("id")
    assert [(e.action, e.object_id) for e in events] == [("update", str(old.pk)), ("create", str(new.pk))]
    assert events[0].before["valid_to"] is None and events[0].after["valid_to"] == "2026-07-01"
    assert events[0].actor == admin


def test_it_refuses_a_replacement_outside_the_row_or_changing_its_key(make_user) -> None:  # type: ignore[no-untyped-def]
    admin = make_user(Role.ADMINISTRATOR)
    row = KeyLetter.objects.get(letter="K", sector="public")
    with pytest.raises(ValidationError):
        referential_row_replace(actor=admin, row=row, valid_from=row.valid_from, changes={"value": Decimal(1)})
    with pytest.raises(ValidationError):
        referential_row_replace(actor=admin, row=row, valid_from=date(2026, 1, 1), changes={"letter": "KK"})
    assert KeyLetter.objects.filter(letter="K", sector="public").count() == 1
    assert not AuditEvent.objects.exists()


def test_it_closes_and_refuses_an_end_before_the_start(make_user) -> None:  # type: ignore[no-untyped-def]
    admin = make_user(Role.ADMINISTRATOR)
    row = ComplementaryRule.objects.get(category="optics")
    with pytest.raises(ValidationError):
        referential_row_close(actor=admin, row=row, valid_to=row.valid_from)
    referential_row_close(actor=admin, row=row, valid_to=date(2027, 1, 1))
    row.refresh_from_db()
    assert row.valid_to == date(2027, 1, 1)


def test_it_refuses_a_reception_agent_in_every_service(make_user) -> None:  # type: ignore[no-untyped-def]
    agent = make_user(Role.RECEPTION)
    row = KeyLetter.objects.get(letter="C", sector="public")
    with pytest.raises(PermissionDenied):
        referential_row_create(actor=agent, model=Medicine, values=_medicine())
    with pytest.raises(PermissionDenied):
        referential_row_replace(actor=agent, row=row, valid_from=date(2026, 1, 1), changes={"value": Decimal(1)})
    with pytest.raises(PermissionDenied):
        referential_row_close(actor=agent, row=row, valid_to=date(2026, 1, 1))
    row.refresh_from_db()
    assert (row.value, row.valid_to) == (Decimal("80.00"), None)
    assert not Medicine.objects.filter(code="TEST-1").exists()


def test_it_has_a_database_check_that_a_row_ends_after_it_starts() -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Medicine.objects.create(**_medicine(valid_to=date(2020, 1, 1)))  # type: ignore[arg-type]
