"""Allowance types and their dated rates: every condition is data, no code per type.

A type says what event it pays for, who is paid and which documents prove it; its rate rows
(dated, like every referential: `valid_from` inclusive, `valid_to` exclusive) hold what a law
or the board can change: the amount, the months of membership required, the age limit, whether
it is paid per child and per year, the days the family has to complete the file and to appeal.
The rate in force on the day of the event applies; a new rate never rewrites earlier requests.
"""

from __future__ import annotations

from typing import ClassVar

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from referentials.models import DatedRow


class Event(models.TextChoices):
    RETIREMENT = "retirement", _("Retirement of the member")
    MEMBER_DEATH = "member_death", _("Death of the member")
    SPOUSE_DEATH = "spouse_death", _("Death of a spouse")
    BIRTH = "birth", _("Birth of a child")
    SCHOOL_YEAR = "school_year", _("School year of an orphan")
    OTHER = "other", _("Other event")


class PayeeRule(models.TextChoices):
    MEMBER = "member", _("The member")
    HEIRS = "heirs", _("The heirs: spouses and children in school, or the parents of an unmarried member")
    CHILDREN = "children", _("Each child within the age limit")
    CLAIMANT = "claimant", _("The person who files the request (who paid the funeral, for example)")


class DocumentKind(models.TextChoices):
    DEATH_CERTIFICATE = "death_certificate", _("Death certificate")
    HEIRS_CERTIFICATE = "heirs_certificate", _("Certificate of heirs")
    SCHOOL_CERTIFICATE = "school_certificate", _("School certificate")
    RIB = "rib", _("Bank account certificate (RIB)")
    RETIREMENT_DECISION = "retirement_decision", _("Retirement decision")
    BIRTH_CERTIFICATE = "birth_certificate", _("Birth certificate")
    MARRIAGE_CERTIFICATE = "marriage_certificate", _("Marriage certificate")
    FUNERAL_INVOICE = "funeral_invoice", _("Funeral invoice")
    QUOTE = "quote", _("Quote (devis) of the care")
    OTHER = "other", _("Other document")


# Documents asked once per payee (each heir's RIB) or once per child paid (school certificates).
PER_PAYEE_DOCUMENTS = frozenset({DocumentKind.RIB})
PER_CHILD_DOCUMENTS = frozenset({DocumentKind.SCHOOL_CERTIFICATE})


class AllowanceType(models.Model):
    """A kind of allowance; administrators add new ones (death of a spouse, birth bonus) in the admin."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    label_fr = models.CharField(_("label (French)"), max_length=150)
    label_ar = models.CharField(_("label (Arabic)"), max_length=150)
    label_en = models.CharField(_("label (English)"), max_length=150)
    event = models.CharField(_("event"), max_length=20, choices=Event.choices)
    payee = models.CharField(_("paid to"), max_length=10, choices=PayeeRule.choices)
    required_documents = models.JSONField(_("documents required"), default=list, blank=True)
    deducts_arrears = models.BooleanField(_("unpaid contributions are deducted"), default=False)
    deducts_advances = models.BooleanField(_("advances still owed are deducted"), default=False)
    active = models.BooleanField(_("can be requested"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("allowance type")
        verbose_name_plural = _("allowance types")
        permissions = [
            ("file_allowancerequest", "Can file allowance requests and their documents"),
            ("check_allowancerequest", "Can check allowance requests"),
            ("approve_allowancerequest", "Can approve or refuse checked allowance requests"),
            ("view_allowances", "Can view allowance requests and advances"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(event__in=Event.values), name="allowancetype_event_valid"),
            models.CheckConstraint(condition=Q(payee__in=PayeeRule.values), name="allowancetype_payee_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.label}"

    @property
    def label(self) -> str:
        language = (get_language() or "fr")[:2]
        return {"ar": self.label_ar, "en": self.label_en}.get(language, self.label_fr)

    def clean(self) -> None:
        unknown = [k for k in self.required_documents or [] if k not in DocumentKind.values]
        if not isinstance(self.required_documents, list) or unknown:
            raise ValidationError({"required_documents": _("Give a list of document kinds: %(kinds)s.")
                                   % {"kinds": ", ".join(DocumentKind.values)}})  # fmt: skip


class AllowanceRate(DatedRow):
    """What a type pays and on which conditions, from `valid_from` on."""

    key_fields: ClassVar[tuple[str, ...]] = ("type",)

    type = models.ForeignKey(AllowanceType, verbose_name=_("allowance"), on_delete=models.PROTECT, related_name="rates")
    amount = models.DecimalField(_("amount (MAD)"), max_digits=12, decimal_places=2)
    min_membership_months = models.PositiveSmallIntegerField(_("minimum months of membership"), default=0)
    age_limit = models.PositiveSmallIntegerField(
        _("age limit of a child (paid until the day before the next birthday)"), null=True, blank=True
    )
    per_child = models.BooleanField(_("paid for each child"), default=False)
    per_year = models.BooleanField(_("paid once a year"), default=False)
    completion_days = models.PositiveSmallIntegerField(_("days the family has to complete the file"), default=90)
    appeal_days = models.PositiveSmallIntegerField(_("days to appeal a refusal"), default=60)

    class Meta(DatedRow.Meta):
        ordering = ["type", "valid_from"]
        verbose_name = _("allowance rate")
        verbose_name_plural = _("allowance rates")
        indexes = [models.Index(fields=["type", "valid_from"], name="allowancerate_type_from")]
        constraints = [
            *DatedRow.Meta.constraints,
            models.CheckConstraint(condition=Q(amount__gt=0), name="allowancerate_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.type_id} {self.amount} ({self.valid_from})"
