from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AllowancesConfig(AppConfig):
    name = "allowances"
    verbose_name = _("Solidarity allowances")

    def ready(self) -> None:
        from allowances.notifications import request_notification
        from allowances.services.payout import payment_sources_register
        from allowances.services.transitions import NOTIFY_EVENT
        from members.outbox import notification_event_register
        from members.sections import MemberSection, member_section_register

        payment_sources_register()
        notification_event_register(NOTIFY_EVENT, request_notification)
        member_section_register(MemberSection("allowances", "allowances/member_section.html", _member_section, 40))
        post_migrate.connect(_seed, sender=self)


def _seed(**kwargs: Any) -> None:
    # The data migration seeds once; this restores a type deleted by hand in a test database flush.
    from django.db import connection

    from allowances.seed import allowances_seed

    if {"allowances_allowancetype", "allowances_allowancerate"} <= set(connection.introspection.table_names()):
        allowances_seed()


def _member_section(*, user: Any, member: Any) -> dict[str, Any] | None:
    from allowances.selectors import member_allowances

    return member_allowances(user=user, member=member)
