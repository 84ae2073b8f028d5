from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.roles import Role
from accounts.usernames import username_normalize


class Provider(models.Model):
    """A health-care provider (clinic, pharmacy, lab, hospital, doctor) known by its INPE."""

    class Kind(models.TextChoices):
        DOCTOR = "doctor", _("Doctor")
        PHARMACY = "pharmacy", _("Pharmacy")
        LAB = "lab", _("Laboratory")
        CLINIC = "clinic", _("Clinic")
        HOSPITAL = "hospital", _("Hospital")

    class Sector(models.TextChoices):
        PUBLIC = "public", _("Public")
        PRIVATE = "private", _("Private")

    # INPE: the national provider identifier (9 digits).
    inpe = models.CharField(_("INPE"), max_length=9, unique=True)
    name = models.CharField(_("name"), max_length=200)
    name_ar = models.CharField(_("name (Arabic)"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    sector = models.CharField(_("sector"), max_length=8, choices=Sector.choices)
    city = models.CharField(_("city"), max_length=100, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("provider")
        verbose_name_plural = _("providers")
        constraints = [
            models.CheckConstraint(condition=models.Q(inpe__regex=r"^[0-9]{9}$"), name="provider_inpe_9_digits"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.inpe})"


class User(AbstractUser):
    provider = models.ForeignKey(
        Provider, verbose_name=_("provider"), null=True, blank=True, on_delete=models.PROTECT, related_name="users"
    )
    preferred_language = models.CharField(_("language"), max_length=5, blank=True)

    @classmethod
    def normalize_username(cls, username: str) -> str:
        # Stored as the login form reads it, so that authentication and the lockout agree.
        return username_normalize(username) if isinstance(username, str) else username

    def has_role(self, role: Role) -> bool:
        return self.groups.filter(name=role.value).exists() if self.pk else False

    @property
    def role_names(self) -> list[str]:
        return sorted(self.groups.values_list("name", flat=True))


class LoginFailure(models.Model):
    """A login attempt, kept for a short window to throttle password guessing: written before the
    password is checked, kept if it fails, removed if it is refused or succeeds."""

    # accounts.usernames.username_lockout_key of what was typed, never the raw text.
    username = models.CharField(max_length=150, db_index=True, verbose_name=_("username"))
    ip_address = models.GenericIPAddressField(null=True, db_index=True, verbose_name=_("IP address"))
    created_at = models.DateTimeField(auto_now_add=True, db_index=True, verbose_name=_("created at"))

    class Meta:
        verbose_name = _("login failure")
        verbose_name_plural = _("login failures")

    def __str__(self) -> str:
        return f"{self.username} {self.created_at:%Y-%m-%d %H:%M}"


class ApiTokenScope(models.TextChoices):
    """What a token opens: the provider API, or the mutual's own tools reading (or deciding) files."""

    PROVIDER = "provider", _("Provider")
    STAFF_READ = "staff_read", _("Staff, read")
    STAFF_WRITE = "staff_write", _("Staff, read and write")


class ApiToken(models.Model):
    """A bearer token of an API user. Only its SHA-256 digest is stored: the plaintext is shown
    once, when it is issued, and a database leak gives nobody a usable token."""

    Scope = ApiTokenScope

    user = models.ForeignKey(User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100, blank=True)
    # The token's first 8 characters: how people tell their tokens apart (not secret enough to use).
    prefix = models.CharField(_("prefix"), max_length=8)
    digest = models.CharField(_("SHA-256 digest"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    scope = models.CharField(_("scope"), max_length=16, choices=ApiTokenScope.choices, default=ApiTokenScope.PROVIDER)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)  # None: until revoked
    # None: the API's limit (settings.API_RATE_LIMIT_PER_MINUTE); set for a caller that needs more or less.
    rate_per_minute = models.PositiveIntegerField(_("calls per minute"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        constraints = [
            models.CheckConstraint(condition=models.Q(digest__regex=r"^[0-9a-f]{64}$"), name="apitoken_digest_sha256"),
            models.CheckConstraint(condition=models.Q(prefix__regex=r"^[A-Za-z0-9_-]{8}$"), name="apitoken_prefix_8"),
            models.CheckConstraint(
                condition=models.Q(revoked_at__isnull=True) | models.Q(revoked_at__gte=models.F("created_at")),
                name="apitoken_revoked_after_created",
            ),
            models.CheckConstraint(
                condition=models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=models.F("created_at")),
                name="apitoken_expires_after_created",
            ),
            models.CheckConstraint(condition=models.Q(scope__in=ApiTokenScope.values), name="apitoken_scope_known"),
            models.CheckConstraint(
                condition=models.Q(rate_per_minute__isnull=True) | models.Q(rate_per_minute__gte=1),
                name="apitoken_rate_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"

    @property
    def is_live(self) -> bool:
        return self.revoked_at is None


class RateCounter(models.Model):
    """Calls counted under a key in one fixed window (mutuelle.throttle), shared by every worker:
    incremented with one atomic upsert, which a cache's get-then-set `incr` is not."""

    bucket = models.CharField(max_length=200, verbose_name=_("bucket"))
    window_start = models.BigIntegerField(verbose_name=_("window start"))  # epoch seconds
    expires_at = models.BigIntegerField(
        db_index=True, verbose_name=_("expires at")
    )  # epoch seconds; rows past it are pruned
    hits = models.PositiveIntegerField(default=0, verbose_name=_("hits"))

    class Meta:
        verbose_name = _("rate counter")
        verbose_name_plural = _("rate counters")
        constraints = [models.UniqueConstraint(fields=["bucket", "window_start"], name="ratecounter_one_per_window")]

    def __str__(self) -> str:
        return f"{self.bucket} @{self.window_start}: {self.hits}"


class IdempotencyKey(models.Model):
    """The first answer to a POST sent with an `Idempotency-Key` header (mutuelle.idempotency).

    Scoped by the token (the same key from two tokens is two keys). `status` is null
    while the first request runs: a second one with the key then gets a 409 rather than a duplicate.
    """

    token = models.ForeignKey(
        ApiToken, on_delete=models.CASCADE, related_name="idempotency_keys", verbose_name=_("token")
    )
    key = models.CharField(max_length=255, verbose_name=_("key"))
    fingerprint = models.CharField(
        max_length=64, verbose_name=_("request fingerprint")
    )  # SHA-256 of method, path and body
    status = models.PositiveSmallIntegerField(null=True, blank=True, verbose_name=_("status"))
    content_type = models.CharField(max_length=100, blank=True, verbose_name=_("content type"))
    body = models.BinaryField(blank=True, verbose_name=_("response body"))
    created_at = models.DateTimeField(db_index=True, verbose_name=_("created at"))

    class Meta:
        verbose_name = _("idempotency key")
        verbose_name_plural = _("idempotency keys")
        constraints = [
            models.UniqueConstraint(fields=["token", "key"], name="idempotencykey_unique_per_token"),
            models.CheckConstraint(
                condition=models.Q(fingerprint__regex=r"^[0-9a-f]{64}$"), name="idempotencykey_fingerprint_sha256"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.key} ({self.status or '…'})"
