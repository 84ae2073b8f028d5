"""Referentials: every row is dated, history is never overwritten.

A row applies from `valid_from` (inclusive) up to `valid_to` (EXCLUSIVE, the day the next
row takes over), so consecutive rows share a boundary date and `valid_to > valid_from`.
Rows of the same key never overlap (`referentials.services` refuses it; on PostgreSQL an
exclusion constraint could back it up). The engine's snapshot uses inclusive ends: the
conversion lives in `referentials.engine_data` only.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from referentials.choices import Category, RateCategory, Sector, Setting


def _money(verbose: Any, *, null: bool = False) -> models.DecimalField:
    return models.DecimalField(verbose, max_digits=12, decimal_places=2, null=null, blank=null)


class DatedRow(models.Model):
    """Abstract base of every referential row."""

    # Fields naming "the same thing" across versions; rows sharing them must not overlap.
    key_fields: ClassVar[tuple[str, ...]] = ()

    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid until (exclusive)"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gt=models.F("valid_from")),
                name="%(app_label)s_%(class)s_valid_to_after_from",
            )
        ]

    def key(self) -> tuple[object, ...]:
        return tuple(getattr(self, f) for f in self.key_fields)


class ReferentialVersion(models.Model):
    """One row whose token changes with every referential write (snapshot cache key).

    It also carries the app-level permissions the roles refer to.
    """

    token = models.CharField(max_length=32, verbose_name=_("token"))

    class Meta:
        verbose_name = _("referential version")
        verbose_name_plural = _("referential versions")
        default_permissions = ()
        permissions = [
            ("view_referentials", "Can view referentials"),
            ("change_referentials", "Can change referentials"),
        ]

    def __str__(self) -> str:
        return self.token


class KeyLetter(DatedRow):
    key_fields = ("letter", "sector")

    letter = models.CharField(_("key letter"), max_length=10)
    sector = models.CharField(_("sector"), max_length=8, choices=Sector.choices)
    value = _money(_("value (MAD)"))
    category = models.CharField(_("category of acts coded by the bare letter"), max_length=20, choices=Category)

    class Meta(DatedRow.Meta):
        verbose_name = _("key letter")
        verbose_name_plural = _("key letters")
        ordering = ["letter", "sector", "valid_from"]
        indexes = [models.Index(fields=["letter", "sector", "valid_from"])]

    def __str__(self) -> str:
        return f"{self.letter} {self.sector} {self.value} ({self.valid_from})"


class Act(DatedRow):
    """A coded act: TNR = coefficient × key-letter value, or a flat tariff per unit."""

    key_fields = ("code",)

    code = models.CharField(_("code"), max_length=32)
    label_fr = models.CharField(_("label (French)"), max_length=200)
    label_ar = models.CharField(_("label (Arabic)"), max_length=200)
    category = models.CharField(_("category"), max_length=20, choices=Category)
    key_letter = models.CharField(_("key letter"), max_length=10, blank=True)
    coefficient = models.DecimalField(_("coefficient"), max_digits=8, decimal_places=2, null=True, blank=True)
    tariff = _money(_("flat tariff per unit (MAD)"), null=True)
    needs_prior_approval = models.BooleanField(_("needs prior approval"), default=False)
    max_count = models.PositiveIntegerField(_("at most (units)"), null=True, blank=True)
    period_days = models.PositiveIntegerField(_("within (days)"), null=True, blank=True)

    class Meta(DatedRow.Meta):
        verbose_name = _("act")
        verbose_name_plural = _("acts")
        ordering = ["code", "valid_from"]
        indexes = [models.Index(fields=["code", "valid_from"])]
        constraints = [
            *DatedRow.Meta.constraints,
            models.CheckConstraint(
                condition=(Q(key_letter="") & Q(coefficient__isnull=True) & Q(tariff__isnull=False))
                | (~Q(key_letter="") & Q(coefficient__gt=0) & Q(tariff__isnull=True)),
                name="referentials_act_letter_xor_tariff",
            ),
            models.CheckConstraint(
                condition=Q(max_count__isnull=True, period_days__isnull=True) | Q(max_count__gt=0, period_days__gt=0),
                name="referentials_act_frequency_pair",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.label_fr} ({self.valid_from})"


class Medicine(DatedRow):
    key_fields = ("code",)

    code = models.CharField(_("code"), max_length=32)
    name = models.CharField(_("name"), max_length=200)
    form = models.CharField(_("form and strength"), max_length=120, blank=True)
    public_price = _money(_("public price (MAD)"))
    generic_group = models.CharField(_("generic group"), max_length=120, blank=True)
    reference_price = _money(_("reference (generic) price (MAD)"), null=True)
    reimbursable = models.BooleanField(_("reimbursable"), default=True)
    needs_prior_approval = models.BooleanField(_("costly: needs prior approval"), default=False)

    class Meta(DatedRow.Meta):
        verbose_name = _("medicine")
        verbose_name_plural = _("medicines")
        ordering = ["code", "valid_from"]
        indexes = [models.Index(fields=["code", "valid_from"])]
        constraints = [
            *DatedRow.Meta.constraints,
            models.CheckConstraint(condition=Q(public_price__gt=0), name="referentials_medicine_price_positive"),
            models.CheckConstraint(
                condition=Q(reference_price__isnull=True) | Q(reference_price__gt=0),
                name="referentials_medicine_reference_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name} ({self.valid_from})"


class AldCondition(DatedRow):
    """One of the long-term illnesses (ALD/ALC) covered at 100 %."""

    key_fields = ("code",)

    code = models.CharField(_("code"), max_length=16)
    label_fr = models.CharField(_("label (French)"), max_length=200)
    label_ar = models.CharField(_("label (Arabic)"), max_length=200)
    label_en = models.CharField(_("label (English)"), max_length=200, blank=True)

    class Meta(DatedRow.Meta):
        verbose_name = _("long-term illness (ALD)")
        verbose_name_plural = _("long-term illnesses (ALD)")
        ordering = ["code", "valid_from"]

    def __str__(self) -> str:
        return f"{self.code} {self.label_fr}"


class AmoRate(DatedRow):
    """Basic (AMO) rate in basis points (8000 = 80 %); the most specific row wins."""

    key_fields = ("category", "setting")

    category = models.CharField(_("category"), max_length=20, choices=RateCategory)
    setting = models.CharField(_("setting"), max_length=20, choices=Setting)
    rate_bp = models.PositiveIntegerField(_("rate (basis points, 8000 = 80 %)"))

    class Meta(DatedRow.Meta):
        verbose_name = _("AMO rate")
        verbose_name_plural = _("AMO rates")
        ordering = ["category", "setting", "valid_from"]
        constraints = [
            *DatedRow.Meta.constraints,
            models.CheckConstraint(condition=Q(rate_bp__lte=10000), name="referentials_amorate_at_most_100"),
        ]

    def __str__(self) -> str:
        return f"{self.category}/{self.setting} {self.rate_bp}bp"


class ComplementaryRule(DatedRow):
    """The mutual's own cover of a category: a percentage of the basis or a flat sum per unit."""

    key_fields = ("category",)

    category = models.CharField(_("category"), max_length=20, choices=RateCategory)
    rate_bp = models.PositiveIntegerField(_("rate (basis points)"), null=True, blank=True)
    flat_amount = _money(_("flat amount per unit (MAD)"), null=True)
    yearly_ceiling = _money(_("yearly ceiling per beneficiary (MAD)"), null=True)
    ceiling_key = models.CharField(_("shared ceiling key"), max_length=20, blank=True)

    class Meta(DatedRow.Meta):
        verbose_name = _("complementary rule")
        verbose_name_plural = _("complementary rules")
        ordering = ["category", "valid_from"]
        constraints = [
            *DatedRow.Meta.constraints,
            models.CheckConstraint(
                condition=(Q(rate_bp__isnull=False, rate_bp__lte=10000) & Q(flat_amount__isnull=True))
                | (Q(rate_bp__isnull=True) & Q(flat_amount__gt=0)),
                name="referentials_complementary_rate_xor_flat",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.category} {self.rate_bp or self.flat_amount}"


class Parameter(DatedRow):
    class Name(models.TextChoices):
        MEMBER_FILING_DAYS = "member_filing_days", _("Filing deadline for a member (days)")
        PROVIDER_FILING_DAYS = "provider_filing_days", _("Filing deadline for a provider (days)")
        WAITING_PERIOD_MONTHS = "waiting_period_months", _("Waiting period (months)")
        CHILD_AGE_LIMIT = "child_age_limit", _("Child age limit (years)")
        STUDENT_AGE_LIMIT = "student_age_limit", _("Student age limit (years)")
        ARREARS_NOTICE_MONTHS = "arrears_notice_months", _("Unpaid months before a formal notice")
        SUSPENSION_GRACE_DAYS = "suspension_grace_days", _("Grace period from the notice to the suspension (days)")

    key_fields = ("name",)

    name = models.CharField(_("parameter"), max_length=32, choices=Name)
    value = models.PositiveIntegerField(_("value"))

    class Meta(DatedRow.Meta):
        verbose_name = _("parameter")
        verbose_name_plural = _("parameters")
        ordering = ["name", "valid_from"]

    def __str__(self) -> str:
        return f"{self.name}={self.value}"


class BasicPayer(DatedRow):
    """The payer of the basic compulsory insurance (AMO) the mutual works for: CNOPS by
    delegation today, CNSS once the reform (law 54-23) applies. One payer at a time (no key:
    rows never overlap); statements, certificates and bank files name the payer of their date."""

    key_fields = ()

    code = models.CharField(_("code"), max_length=16)
    name_fr = models.CharField(_("name (French)"), max_length=200)
    name_ar = models.CharField(_("name (Arabic)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    by_delegation = models.BooleanField(_("managed by the mutual by delegation"), default=False)

    class Meta(DatedRow.Meta):
        verbose_name = _("basic insurance payer")
        verbose_name_plural = _("basic insurance payers")
        ordering = ["valid_from"]

    def __str__(self) -> str:
        return f"{self.code} ({self.valid_from})"


DATED_MODELS: tuple[type[DatedRow], ...] = (
    KeyLetter,
    Act,
    Medicine,
    AldCondition,
    AmoRate,
    ComplementaryRule,
    Parameter,
    BasicPayer,
)


class PublicHoliday(models.Model):
    """A public holiday (jour férié): working-day targets (complaints) skip it.

    Religious holidays follow the Hijri calendar and are fixed by the moon's sighting a few days
    ahead: they are entered with their expected date as `provisional` and confirmed (or moved) by
    an administrator when the ministry announces them. One row per day: a two-day Eid is two rows.
    """

    day = models.DateField(_("day"), unique=True)
    name_fr = models.CharField(_("name (French)"), max_length=120)
    name_ar = models.CharField(_("name (Arabic)"), max_length=120)
    provisional = models.BooleanField(
        _("date to be confirmed"),
        default=False,
        help_text=_("Expected date of a religious holiday, not announced yet."),
    )

    class Meta:
        verbose_name = _("public holiday")
        verbose_name_plural = _("public holidays")
        ordering = ["day"]

    def __str__(self) -> str:
        return f"{self.day} {self.name_fr}"
