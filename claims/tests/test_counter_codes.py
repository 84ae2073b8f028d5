"""The counter's code completion: codes and labels in the reader's language, the exact code first."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from accounts.roles import Role
from claims.selectors_codes import codes_labels, codes_search

pytestmark = pytest.mark.django_db


def test_it_finds_codes_by_code_or_label_with_the_exact_code_first() -> None:
    with translation.override("fr"):
        found = codes_search(query="cons-g")
        assert (found[0].code, found[0].label, found[0].kind) == ("CONS-G", "Consultation de médecine générale", "act")
        assert [o.code for o in codes_search(query="6118000000004")] == ["6118000000004"]
        assert codes_search(query="6118000000004")[0].kind == "medicine"
        assert "CONS-G" in [o.code for o in codes_search(query="médecine générale")]
        assert codes_search(query="JOUR-REA")[0].kind == "stay"  # a stay's code makes a stay line
    with translation.override("ar"):
        assert codes_search(query="استشارة")[0].label == "استشارة الطب العام"
        assert codes_labels(codes=[("act", "cons-g"), ("medicine", "6118000000004")]) == {
            ("act", "CONS-G"): "استشارة الطب العام",
            ("medicine", "6118000000004"): "Clamoxyl 1 g · comprimé dispersible 1 g, boîte de 12",
        }
    assert codes_search(query="") == [] and codes_search(query="zzzz-nothing") == []


def test_it_answers_the_counter_in_a_fixed_number_of_queries(client_for, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    client = client_for(Role.RECEPTION)
    with django_assert_max_num_queries(8):  # session, user, permissions, then letters, acts, medicines
        response = client.get(reverse("claims:counter_codes"), {"q": "co"})
    assert response.status_code == 200 and 'data-code="CONS-G"' in response.content.decode()
    assert client_for(Role.MEMBER).get(reverse("claims:counter_codes"), {"q": "co"}).status_code == 403
