from __future__ import annotations

from collections.abc import Iterator
from contextvars import ContextVar
from typing import Any, Self

from django.conf import settings
from django.db import models
from django.db.models.query import ModelIterable
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from audit.masking import MSG_MASKED, audit_event_mask, is_masked


class _MaskingIterable(ModelIterable):  # type: ignore[type-arg]
    def __iter__(self) -> Iterator[Any]:
        for event in super().__iter__():
            yield audit_event_mask(event)


# Set only by audit.scrub.audit_scrub_allowed(): the one documented way to rewrite stored rows
# (masking values that should never have been stored). Nothing else updates an audit row.
scrub_allowed: ContextVar[bool] = ContextVar("audit_scrub_allowed", default=False)


class AuditAppendOnlyError(Exception):
    """An update or delete of audit rows: the trail is append-only."""


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> int:
        if not scrub_allowed.get():
            raise AuditAppendOnlyError("audit events are append-only: update refused (see audit.scrub)")
        return super().update(**kwargs)

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AuditAppendOnlyError("audit events are append-only: delete refused")

    def masked(self) -> Self:
        """The same rows, each masked as it is read (audit.masking): for readers without the
        medical permission. Kept through slicing and filtering; `values()` reads raw columns."""
        qs = self.all()
        qs._iterable_class = _MaskingIterable
        return qs


class AuditAction(models.TextChoices):
    """What an audit event records: a closed list (and a database constraint) so the trail can be
    read by action; a new kind of event adds its member here and a migration."""

    CREATE = "create", _("created")
    UPDATE = "update", _("updated")
    DELETE = "delete", _("deleted")
    TRANSITION = "transition", _("state change")
    IMPORT = "import", _("import")
    EXPORT = "export", _("export")
    VIEW_MEDICAL = "view_medical", _("medical data viewed")
    # The payment and token actions (their verbs past tense, as first written by those apps).
    IMPORTED = "imported", pgettext_lazy("audit action", "file imported")
    PREPARED = "prepared", pgettext_lazy("audit action", "batch prepared")
    VALIDATED = "validated", pgettext_lazy("audit action", "batch validated")
    EXPORTED = "exported", pgettext_lazy("audit action", "bank file exported")
    CONFIRMED = "confirmed", pgettext_lazy("audit action", "batch confirmed")
    CANCELLED = "cancelled", pgettext_lazy("audit action", "batch cancelled")
    PAID = "paid", pgettext_lazy("audit action", "payment paid")
    REJECTED = "rejected", pgettext_lazy("audit action", "payment rejected by the bank")
    REQUEUED = "requeued", pgettext_lazy("audit action", "put back for a new batch")
    REVOKE = "revoke", pgettext_lazy("audit action", "revoked")


class AuditEvent(models.Model):
    """One change (or one read of medical data): who, when, what, before and after.

    Rows are only ever inserted; `member_id` is carried so the trail of one member's file is
    one indexed read, and so the table can be distributed by member later (DESIGN.md).
    """

    Action = AuditAction

    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("who"), null=True, blank=True, on_delete=models.PROTECT
    )
    action = models.CharField(_("action"), max_length=16, choices=Action.choices)
    object_type = models.CharField(_("object type"), max_length=64)
    object_id = models.CharField(_("object"), max_length=64)
    member_id = models.BigIntegerField(null=True, blank=True, verbose_name=_("member"))
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [
            models.Index(fields=["member_id", "-at"], name="audit_member_at"),
            models.Index(fields=["object_type", "object_id"], name="audit_object"),
        ]
        # A closed vocabulary: an action outside Action is refused by the database too.
        constraints = [
            models.CheckConstraint(condition=models.Q(action__in=AuditAction.values), name="audit_action_known")
        ]

    def __str__(self) -> str:
        return f"{self.action} {self.object_type}#{self.object_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Insert only (audit.services writes the rows); a stored event is never changed."""
        if not self._state.adding:
            raise AuditAppendOnlyError("audit events are append-only: update refused")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AuditAppendOnlyError("audit events are append-only: delete refused")

    def changes(self) -> list[tuple[str, object, object]]:
        before = self.before or {}
        after = self.after or {}
        keys = sorted(set(before) | set(after))
        return [(k, before.get(k), after.get(k)) for k in keys if before.get(k) != after.get(k)]

    def change_rows(self) -> list[tuple[str, object, object, object]]:
        """changes() for display: (name, before, after, hidden), `hidden` the "value hidden" text
        when either side holds a masked medical value, else ""."""
        return [
            (name, old, new, MSG_MASKED if is_masked(old) or is_masked(new) else "")
            for name, old, new in self.changes()
        ]
