from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContributionsConfig(AppConfig):
    name = "contributions"
    verbose_name = _("Contributions")

    def ready(self) -> None:
        from contributions.arrears_notify import arrears_register
        from members.sections import MemberSection, member_section_register

        arrears_register()  # the notices' e-mail/SMS and the file's arrears section (rights)

        member_section_register(
            MemberSection("contributions", "contributions/member_section.html", _member_contributions, 40)
        )


def _member_contributions(*, user: Any, member: Any) -> dict[str, Any] | None:
    from contributions.selectors_ledger import VIEW, member_ledger

    if not user.has_perm(VIEW):
        return None
    return {"contributions_ledger": member_ledger(user=user, member=member)}
