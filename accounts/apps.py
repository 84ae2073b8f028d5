from __future__ import annotations

from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in
from django.core.checks import Tags, register
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts and providers")

    def ready(self) -> None:
        from accounts.checks import dev_key_check
        from accounts.services import roles_sync_after_migrate
        from mutuelle.middleware_sessions import session_clocks_start

        register(dev_key_check, Tags.security, deploy=True)
        user_logged_in.connect(session_clocks_start, dispatch_uid="mutuelle.session_clocks")

        # Permissions of every app exist only after its own migrations ran, so the role table
        # is applied once all apps are migrated rather than in a single data migration.
        post_migrate.connect(roles_sync_after_migrate, dispatch_uid="accounts.roles_sync")
