from __future__ import annotations

from django.apps import AppConfig
from django.core.checks import Tags, register
from django.db.models.signals import post_migrate


class AccountsConfig(AppConfig):
    name = "accounts"

    def ready(self) -> None:
        from accounts.checks import dev_key_check
        from accounts.services import roles_sync_after_migrate

        register(dev_key_check, Tags.security, deploy=True)

        # Permissions of every app exist only after its own migrations ran, so the role table
        # is applied once all apps are migrated rather than in a single data migration.
        post_migrate.connect(roles_sync_after_migrate, dispatch_uid="accounts.roles_sync")
