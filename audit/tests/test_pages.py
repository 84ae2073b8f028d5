"""Every page a non-medical role reaches shows that a medical field changed, never its value."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.roles import Role
from audit.masking import MSG_MASKED
from audit.models import AuditEvent
from audit.tests.medical_data import (
    ALD_CODE,
    ALD_LABELS,
    DECISION_NOTE,
    DIAGNOSIS,
    JUSTIFICATION,
    MedicalFile,
    leaked,
    medical_file_make,
)
from claims.services import claim_adjudicate
from claims.trace import trace_texts

pytestmark = pytest.mark.django_db


@pytest.fixture
def file(make_user) -> MedicalFile:  # type: ignore[no-untyped-def]
    file = medical_file_make(make_user)
    file.claim = claim_adjudicate(actor=make_user(Role.CLAIMS_OFFICER), claim=file.claim)
    # A row written raw, as before the writer masked (or by a path that bypasses it).
    AuditEvent.objects.create(
        action="update", object_type="claims.priorapproval", object_id=str(file.approval.pk),
        member_id=file.member.pk, before={"justification": ""}, after={"justification": JUSTIFICATION},
    )  # fmt: skip
    return file


def _pages(client, file: MedicalFile) -> dict[str, str]:  # type: ignore[no-untyped-def]
    urls = {
        "audit": reverse("audit:list"),
        "audit_filtered": reverse("audit:list") + "?type=claims.priorapproval",
        "member": reverse("members:detail", args=[file.member.pk]),
        "claim": reverse("claims:detail", args=[file.claim.pk]),
    }
    pages = {}
    for name, url in urls.items():
        response = client.get(url)
        pages[name] = response.content.decode() if response.status_code == 200 else f"HTTP {response.status_code}"
    return pages


def test_an_auditor_sees_that_medical_fields_changed_and_none_of_their_values(client_for, file) -> None:
    pages = _pages(client_for(Role.AUDITOR), file)
    assert {name: leaked(page) for name, page in pages.items()} == {name: [] for name in pages}
    assert str(MSG_MASKED) in pages["audit"] and str(MSG_MASKED) in pages["member"]
    assert "decision_note" in pages["member"] and "justification" in pages["audit_filtered"]


def test_an_administrator_and_a_claims_officer_see_no_medical_value_either(client_for, file) -> None:
    for role in (Role.ADMINISTRATOR, Role.CLAIMS_OFFICER):
        pages = _pages(client_for(role), file)
        assert {name: leaked(page) for name, page in pages.items()} == {name: [] for name in pages}, role


def test_the_engine_trace_of_a_long_term_illness_line_hides_the_code_from_non_medical_staff(client_for, file) -> None:
    trace = " ".join(trace_texts(file.claim.lines.get().trace))
    assert ALD_CODE in trace  # the stored trace names it: the page must not
    page = client_for(Role.CLAIMS_OFFICER).get(reverse("claims:detail", args=[file.claim.pk])).content.decode()
    assert "Trace" in page and ALD_CODE not in page


def test_a_medical_controller_still_reads_the_medical_sections(client_for, file) -> None:
    doctor = client_for(Role.MEDICAL_CONTROLLER)
    member_page = doctor.get(reverse("members:detail", args=[file.member.pk])).content.decode()
    assert JUSTIFICATION in member_page and DECISION_NOTE in member_page
    assert 'id="ald"' in member_page and ALD_LABELS[1] in member_page
    claim_page = doctor.get(reverse("claims:detail", args=[file.claim.pk])).content.decode()
    assert DIAGNOSIS in claim_page and ALD_CODE in claim_page


def test_a_get_of_the_trail_changes_no_stored_row(client_for, file) -> None:
    stored = list(AuditEvent.objects.order_by("id").values_list("id", "before", "after", "note"))
    _pages(client_for(Role.AUDITOR), file)
    assert list(AuditEvent.objects.filter(id__lte=stored[-1][0]).order_by("id").values_list(
        "id", "before", "after", "note")) == stored  # fmt: skip


def test_the_hidden_value_reads_in_arabic_on_an_arabic_page(client_for, file) -> None:
    client = client_for(Role.AUDITOR)
    page = client.get(reverse("audit:list"), HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert "القيمة مخفية" in page and "value hidden" not in page and not leaked(page)
