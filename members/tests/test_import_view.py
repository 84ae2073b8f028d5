from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.roles import Role
from members.models import Administration, Member
from members.tests.import_helpers import csv_bytes, family, member_row

pytestmark = pytest.mark.django_db
URL = reverse("members:import")


@pytest.fixture
def admin_men() -> Administration:
    return Administration.objects.create(code="MEN", name_fr="Ministère de l'Éducation nationale", name_ar="وزارة")


def upload(content: bytes, name: str = "roster.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="text/csv")


@pytest.mark.parametrize("role", [Role.RECEPTION, Role.ADMINISTRATOR])
def test_it_shows_the_form_to_reception_and_administrators(client_for, role: Role) -> None:  # type: ignore[no-untyped-def]
    response = client_for(role).get(URL)
    assert response.status_code == 200 and b'enctype="multipart/form-data"' in response.content


@pytest.mark.parametrize(
    "role", [Role.MEMBER, Role.CLAIMS_OFFICER, Role.ACCOUNTANT, Role.AUDITOR, Role.PROVIDER, Role.MEDICAL_CONTROLLER]
)
def test_it_refuses_other_roles(client_for, admin_men: Administration, role: Role) -> None:  # type: ignore[no-untyped-def]
    client = client_for(role)
    assert client.get(URL).status_code == 403
    data = {"administration": admin_men.pk, "file": upload(csv_bytes(family("12345", "AB123456")).getvalue())}
    assert client.post(URL, data).status_code == 403
    assert Member.objects.count() == 0


def test_it_sends_anonymous_users_to_the_login_page(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get(URL)
    assert response.status_code == 302 and "login" in response["Location"]


def test_it_imports_and_shows_the_summary(client_for, admin_men: Administration) -> None:  # type: ignore[no-untyped-def]
    client = client_for(Role.RECEPTION)
    data = {"administration": admin_men.pk, "file": upload(csv_bytes(family("12345", "AB123456")).getvalue())}
    response = client.post(URL, data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    summary = response.context["result"]
    assert (summary.members_created, summary.dependants_created) == (1, 3)
    assert b'id="import-summary"' in response.content
    assert Member.objects.get().administration == admin_men


def test_it_shows_the_errors_table_and_writes_nothing(client_for, admin_men: Administration) -> None:  # type: ignore[no-untyped-def]
    client = client_for(Role.RECEPTION)
    rows = [member_row("12345", "AB123456"), member_row("12346", "AB123457", sex="X")]
    data = {"administration": admin_men.pk, "file": upload(csv_bytes(rows).getvalue())}
    response = client.post(URL, data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 422
    content = response.content.decode()
    assert 'id="import-errors"' in content and "<bdi>3</bdi>" in content and "Unknown sex" in content
    assert Member.objects.count() == 0


def test_it_refuses_a_pdf_upload(client_for, admin_men: Administration) -> None:  # type: ignore[no-untyped-def]
    client = client_for(Role.RECEPTION)
    data = {"administration": admin_men.pk, "file": upload(b"%PDF-1.4\x00\x00", "roster.pdf")}
    client.cookies["django_language"] = "fr"
    response = client.post(URL, data, HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 422 and response.context["result"].errors[0].line == 0


def test_it_refuses_a_file_over_the_limit_in_the_form(client_for, admin_men: Administration, settings) -> None:  # type: ignore[no-untyped-def]
    settings.ROSTER_IMPORT_MAX_BYTES = 50
    client = client_for(Role.ADMINISTRATOR)
    data = {"administration": admin_men.pk, "file": upload(csv_bytes(family("12345", "AB123456")).getvalue())}
    response = client.post(URL, data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200 and response.context["result"] is None
    assert "too large" in str(response.context["form"].errors["file"]) and Member.objects.count() == 0
