"""Sections of a member's page that other apps contribute (claims: prior approvals and long-term
illnesses; payments: the payments), so members needs to import none of them.

An app registers its sections in its AppConfig.ready(); the member page asks each for its context
and includes its template, in `order`. A section whose context is None is left out (the reader
may not see it).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

SectionContext = Callable[..., dict[str, Any] | None]  # called as context(user=..., member=...)


@dataclass(frozen=True)
class MemberSection:
    name: str
    template: str
    context: SectionContext
    order: int


_SECTIONS: dict[str, MemberSection] = {}


def member_section_register(section: MemberSection) -> None:
    """Add (or replace, by name: ready() may run twice) a section of the member page."""
    _SECTIONS[section.name] = section


def member_sections(*, user: Any, member: Any) -> tuple[list[str], dict[str, Any]]:
    """The templates to include, in order, and the context they read, for `user` on `member`'s page."""
    templates: list[str] = []
    context: dict[str, Any] = {}
    for section in sorted(_SECTIONS.values(), key=lambda s: (s.order, s.name)):
        found = section.context(user=user, member=member)
        if found is not None:
            templates.append(section.template)
            context.update(found)
    return templates, context
