"""People, their roles, mandates (stand-in), sessions, log-in state and API credentials.

Authorities live in the catalogue app; here they are referred to only by their
``authority_code`` so that the two contexts stay independent. Companies are
referred to by business ID.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class LoginMethod(models.TextChoices):
    SUOMIFI = "suomifi", _("Suomi.fi e-Identification")
    VIRTU = "virtu", _("Virtu")
    TEST = "test", _("Test identity provider")
    PASSWORD = "password", _("Password (administration)")


class Person(models.Model):
    """A natural person who logs in. The identity code itself is never stored, only a keyed
    digest of it (to recognise the same person again)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="person"
    )
    given_name = models.CharField(_("given name"), max_length=200, blank=True)
    family_name = models.CharField(_("family name"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    national_id_digest = models.CharField(
        _("identity code digest"), max_length=64, unique=True, null=True, blank=True
    )
    virtu_id = models.CharField(
        _("Virtu user id"), max_length=300, unique=True, null=True, blank=True
    )
    home_organisation = models.CharField(_("home organisation"), max_length=200, blank=True)
    demo_key = models.SlugField(_("demo person"), max_length=60, unique=True, null=True, blank=True)
    is_service_admin = models.BooleanField(_("service-layer administrator"), default=False)
    address_disclosure_ban = models.BooleanField(_("address disclosure ban"), default=False)
    last_login_method = models.CharField(
        _("last log-in method"), max_length=20, choices=LoginMethod.choices, blank=True
    )
    last_level_of_assurance = models.CharField(
        _("last level of assurance"), max_length=200, blank=True
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["family_name", "given_name", "id"]

    def __str__(self) -> str:
        return self.full_name or f"#{self.pk}"

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}".strip()


class RoleSource(models.TextChoices):
    ADMIN = "admin", _("granted by an administrator")
    VIRTU = "virtu", _("from Virtu entitlements")


class OfficialRole(models.Model):
    """A person works for an authority, optionally only on some of its services."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="official_roles")
    authority_code = models.CharField(_("authority code"), max_length=40, db_index=True)
    service_codes = models.JSONField(
        _("service codes"),
        default=list,
        blank=True,
        help_text=_("Empty: every service of the authority."),
    )
    is_authority_admin = models.BooleanField(_("authority administrator"), default=False)
    source = models.CharField(
        _("source"), max_length=10, choices=RoleSource.choices, default=RoleSource.ADMIN
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("official role")
        verbose_name_plural = _("official roles")
        ordering = ["authority_code", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "authority_code"], name="identity_one_role_per_authority"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} @ {self.authority_code}"


class LocalMandate(models.Model):
    """Stand-in for Suomi.fi e-Authorizations: this person may act for this company."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="local_mandates")
    business_id = models.CharField(_("business ID"), max_length=9, db_index=True)
    company_name = models.CharField(_("company name"), max_length=300, blank=True)
    role = models.CharField(_("role code"), max_length=20, default="TJ")
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("mandate (local stand-in)")
        verbose_name_plural = _("mandates (local stand-in)")
        ordering = ["business_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "business_id"], name="identity_one_mandate_per_company"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} → {self.business_id}"


class UserSession(models.Model):
    """The sessions a user has open, so that "log out everywhere" can end them all."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="luvat_sessions"
    )
    session_key = models.CharField(max_length=40, unique=True)
    login_method = models.CharField(max_length=20, choices=LoginMethod.choices)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("open session")
        verbose_name_plural = _("open sessions")

    def __str__(self) -> str:
        return f"{self.user_id} {self.login_method} {self.created_at:%Y-%m-%d %H:%M}"


class SamlRequest(models.Model):
    """An AuthnRequest we sent; its response is accepted once, from the browser that sent it."""

    request_id = models.CharField(max_length=100, unique=True)
    idp = models.CharField(max_length=20)
    browser_nonce_digest = models.CharField(max_length=64)
    next_url = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    used_at = models.DateTimeField(null=True, blank=True)
    assertion_id = models.CharField(max_length=100, unique=True, null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.idp} {self.request_id}"


class LoginThrottle(models.Model):
    """Failed log-in attempts for one scope and key (a user name or an address, digested)."""

    scope = models.CharField(max_length=30)
    key_digest = models.CharField(max_length=64)
    failures = models.PositiveIntegerField(default=0)
    first_failure_at = models.DateTimeField(default=timezone.now)
    locked_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scope", "key_digest"], name="identity_throttle_key")
        ]

    def __str__(self) -> str:
        return f"{self.scope} {self.key_digest[:8]} {self.failures}"


class ApiClient(models.Model):
    """An authority's system calling the API. It acts for exactly one authority."""

    name = models.CharField(_("name"), max_length=200)
    authority_code = models.CharField(_("authority code"), max_length=40, db_index=True)
    service_codes = models.JSONField(
        _("service codes"),
        default=list,
        blank=True,
        help_text=_("Empty: every service of the authority."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("API client")
        verbose_name_plural = _("API clients")
        ordering = ["authority_code", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.authority_code})"


class ApiKey(models.Model):
    """One key of an API client. Only a SHA-256 digest of the secret part is stored."""

    client = models.ForeignKey(ApiClient, on_delete=models.CASCADE, related_name="keys")
    key_id = models.CharField(_("key id"), max_length=16, unique=True)
    secret_digest = models.CharField(max_length=64)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.key_id} ({self.client})"

    def is_usable(self, now: datetime | None = None) -> bool:
        now = now or timezone.now()
        if self.revoked_at is not None:
            return False
        return self.expires_at is None or self.expires_at > now
