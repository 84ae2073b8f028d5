from __future__ import annotations

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from members.validators import validate_cin, validate_rib


class Region(models.TextChoices):
    TANGER = "01", _("Tanger-Tétouan-Al Hoceïma")
    ORIENTAL = "02", _("Oriental")
    FES = "03", _("Fès-Meknès")
    RABAT = "04", _("Rabat-Salé-Kénitra")
    BENI_MELLAL = "05", _("Béni Mellal-Khénifra")
    CASABLANCA = "06", _("Casablanca-Settat")
    MARRAKECH = "07", _("Marrakech-Safi")
    DRAA = "08", _("Drâa-Tafilalet")
    SOUSS = "09", _("Souss-Massa")
    GUELMIM = "10", _("Guelmim-Oued Noun")
    LAAYOUNE = "11", _("Laâyoune-Sakia El Hamra")
    DAKHLA = "12", _("Dakhla-Oued Ed-Dahab")


class Administration(models.Model):
    """An employer: a ministry or public body whose staff are members."""

    code = models.CharField(_("code"), max_length=16, unique=True)
    name_fr = models.CharField(_("name (French)"), max_length=200)
    name_ar = models.CharField(_("name (Arabic)"), max_length=200)

    class Meta:
        ordering = ["code"]
        verbose_name = _("administration")
        verbose_name_plural = _("administrations")

    def __str__(self) -> str:
        return f"{self.code} {self.name_fr}"

    @property
    def name(self) -> str:
        """The name in the language of the page: Arabic for Arabic pages, French otherwise."""
        return self.name_ar if (get_language() or "").startswith("ar") else self.name_fr


class MemberStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    RETIRED = "retired", _("Retired")
    DECEASED = "deceased", _("Deceased")
    RESIGNED = "resigned", _("Resigned")
    SUSPENDED = "suspended", _("Suspended")


class Member(models.Model):
    """A membership (adhésion). The member's own person data is its `self` beneficiary."""

    class MaritalStatus(models.TextChoices):
        SINGLE = "single", _("Single")
        MARRIED = "married", _("Married")
        DIVORCED = "divorced", _("Divorced")
        WIDOWED = "widowed", _("Widowed")

    membership_number = models.CharField(
        _("membership number"), max_length=10, unique=True, validators=[RegexValidator(r"^[0-9]{6,10}$")]
    )
    matricule = models.CharField(
        _("matricule (PPR)"), max_length=10, unique=True, validators=[RegexValidator(r"^[0-9]{5,10}$")]
    )
    cin = models.CharField(_("CIN"), max_length=10, unique=True, validators=[validate_cin])
    administration = models.ForeignKey(
        Administration, verbose_name=_("administration"), on_delete=models.PROTECT, related_name="members"
    )
    joined_on = models.DateField(_("joining date"))
    from_other_amo = models.BooleanField(_("comes from another AMO scheme"), default=False)
    marital_status = models.CharField(_("marital status"), max_length=10, choices=MaritalStatus.choices)
    status = models.CharField(_("status"), max_length=10, choices=MemberStatus.choices, default=MemberStatus.ACTIVE)
    status_since = models.DateField(_("status since"))
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    region = models.CharField(_("region"), max_length=2, choices=Region.choices, blank=True)
    rib = models.CharField(_("bank account (RIB)"), max_length=24, blank=True, validators=[validate_rib])
    base_salary = models.DecimalField(_("base salary"), max_digits=10, decimal_places=2, null=True, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="member",
        verbose_name=_("user"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        ordering = ["membership_number"]
        verbose_name = _("member")
        verbose_name_plural = _("members")
        permissions = [("import_roster", "Can import an administration's roster")]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=MemberStatus.values), name="member_status_valid"),
            models.CheckConstraint(condition=Q(rib="") | Q(rib__regex=r"^[0-9]{24}$"), name="member_rib_24_digits"),
        ]

    def __str__(self) -> str:
        return self.membership_number


class MemberStatusChange(models.Model):
    """The status history: each row is the status in force from `valid_from` until the next row."""

    member = models.ForeignKey(
        Member, on_delete=models.CASCADE, related_name="status_history", verbose_name=_("member")
    )
    status = models.CharField(_("status"), max_length=10, choices=MemberStatus.choices)
    valid_from = models.DateField(_("from"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("recorded by")
    )
    recorded_at = models.DateTimeField(auto_now_add=True, verbose_name=_("recorded at"))

    class Meta:
        ordering = ["member", "valid_from", "id"]
        verbose_name = _("change of status")
        verbose_name_plural = _("changes of status")
        constraints = [
            models.UniqueConstraint(fields=["member", "valid_from"], name="member_status_one_per_day"),
            models.CheckConstraint(condition=Q(status__in=MemberStatus.values), name="member_status_change_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.status} {self.valid_from}"


class Relation(models.TextChoices):
    SELF = "self", _("Member")
    SPOUSE = "spouse", _("Spouse")
    CHILD = "child", _("Child")


class Sex(models.TextChoices):
    MALE = "M", _("Male")
    FEMALE = "F", _("Female")


class Beneficiary(models.Model):
    """A person covered under a membership: the member (rank 0), a spouse or a child."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="beneficiaries", verbose_name=_("member"))
    relation = models.CharField(_("relation"), max_length=6, choices=Relation.choices)
    rank = models.PositiveSmallIntegerField(_("rank"))
    card_number = models.CharField(_("card number"), max_length=14, unique=True)
    last_name = models.CharField(_("last name"), max_length=100)
    first_name = models.CharField(_("first name"), max_length=100)
    last_name_ar = models.CharField(_("last name (Arabic)"), max_length=100)
    first_name_ar = models.CharField(_("first name (Arabic)"), max_length=100)
    birth_date = models.DateField(_("birth date"))
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    cin = models.CharField(_("CIN"), max_length=10, blank=True, validators=[validate_cin])
    school_certificate_until = models.DateField(_("school certificate valid until"), null=True, blank=True)
    disabled = models.BooleanField(_("disabled"), default=False)
    disability_certificate = models.CharField(_("disability certificate"), max_length=100, blank=True)
    covered_until = models.DateField(
        _("cover ended on"), null=True, blank=True, help_text=_("For a spouse after a divorce, for example.")
    )
    # Folded names and numbers (members.normalize.search_document), kept by the services.
    search_text = models.TextField(editable=False, default="", verbose_name=_("search text"))

    class Meta:
        ordering = ["member", "rank"]
        verbose_name = _("beneficiary")
        verbose_name_plural = _("beneficiaries")
        constraints = [
            models.UniqueConstraint(fields=["member", "rank"], name="beneficiary_rank_unique"),
            models.UniqueConstraint(
                fields=["member"], condition=Q(relation="self"), name="beneficiary_one_self_per_member"
            ),
            models.CheckConstraint(
                condition=(Q(relation="self") & Q(rank=0)) | (~Q(relation="self") & Q(rank__gt=0)),
                name="beneficiary_rank_zero_is_self",
            ),
            models.CheckConstraint(condition=Q(relation__in=Relation.values), name="beneficiary_relation_valid"),
            models.CheckConstraint(
                condition=Q(disabled=False) | ~Q(disability_certificate=""), name="beneficiary_disability_certified"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.card_number})"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def full_name_ar(self) -> str:
        return f"{self.first_name_ar} {self.last_name_ar}"


class RightsSuspension(models.Model):
    """Rights suspended for unpaid contributions on [starts_on, ends_on), for the member and every
    dependant. `ends_on` is the day rights are restored (the payment date), None while it lasts.
    Rows are kept after restoration: care inside the interval stays refused, and they are the
    member's history of suspensions. Written by members.services_rights only."""

    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="rights_suspensions", verbose_name=_("member")
    )
    starts_on = models.DateField(_("suspended from"))
    ends_on = models.DateField(_("restored from"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        verbose_name = _("rights suspension")
        verbose_name_plural = _("rights suspensions")
        ordering = ["member", "starts_on", "id"]
        indexes = [models.Index(fields=["member", "starts_on"], name="members_suspension_member_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gt=models.F("starts_on")),
                name="members_suspension_ends_after_start",
            ),
            models.UniqueConstraint(
                fields=["member"], condition=Q(ends_on__isnull=True), name="members_suspension_one_open"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.starts_on}..{self.ends_on or ''}"
