"""The member page's sections come from the apps that register them (members imports none of them)."""

from __future__ import annotations

import pytest

from members import sections
from members.sections import MemberSection, member_section_register, member_sections


def test_it_gives_the_registered_sections_in_order_and_leaves_out_those_without_context(monkeypatch) -> None:
    monkeypatch.setattr(sections, "_SECTIONS", {})
    member_section_register(MemberSection("b", "b.html", lambda *, user, member: {"b": member}, 20))
    member_section_register(MemberSection("a", "a.html", lambda *, user, member: {"a": user}, 10))
    member_section_register(MemberSection("hidden", "h.html", lambda *, user, member: None, 15))
    assert member_sections(user="u", member="m") == (["a.html", "b.html"], {"a": "u", "b": "m"})


@pytest.mark.parametrize("name", ["claims.files", "claims.approvals", "claims.ald", "payments"])
def test_the_claims_and_payments_apps_register_their_sections(name: str) -> None:
    assert name in sections._SECTIONS
    assert [s.name for s in sorted(sections._SECTIONS.values(), key=lambda s: s.order)][:4] == [
        "claims.files", "claims.approvals", "claims.ald", "payments"
    ]  # fmt: skip
