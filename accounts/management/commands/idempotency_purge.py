"""`python manage.py idempotency_purge`: deletes the Idempotency-Key answers past their retention (from cron, daily)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from mutuelle.idempotency import idempotency_purge


class Command(BaseCommand):
    help = "Delete the kept Idempotency-Key answers older than API_IDEMPOTENCY_RETENTION_HOURS."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"{idempotency_purge()} expired idempotency keys deleted")
