"""The catalogue: authorities, services (permits and notifications), packages and the
shared-data vocabulary. Kept as versioned data files in the repository and loaded by
``luvat load-catalogue``; editable in the admin. Every later part reads it.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

LANGUAGE_CODES = ("fi", "sv", "en")


def localized(obj: Any, field: str, language: str | None = None) -> str:
    """``obj.<field>_<lang>`` for the active language, falling back to Finnish, then English."""
    language = (language or get_language() or "fi")[:2]
    for code in (language, "fi", "en", "sv"):
        value = getattr(obj, f"{field}_{code}", "")
        if value:
            return str(value)
    return ""


FIELD_ORDER_KEY = "x-order"


class FormSchemaField(models.JSONField):
    """A JSON Schema whose properties keep the order they were written in.

    PostgreSQL's ``jsonb`` stores object keys in its own order (shortest first), so a form's
    fields would come back shuffled there and in order on SQLite. The order is therefore kept
    in the stored value as ``"x-order"`` (a JSON Schema extension keyword) and put back on
    read: code always sees the properties in the author's order and never the extra key.
    """

    def get_prep_value(self, value: Any) -> Any:
        if isinstance(value, dict) and isinstance(value.get("properties"), dict):
            value = {**value, FIELD_ORDER_KEY: list(value["properties"])}
        return super().get_prep_value(value)

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        value = super().from_db_value(value, expression, connection)
        return with_field_order(value)


def with_field_order(value: Any) -> Any:
    """``value`` with its properties in their ``x-order`` and without that key."""
    if not isinstance(value, dict) or FIELD_ORDER_KEY not in value:
        return value
    value = dict(value)
    order = value.pop(FIELD_ORDER_KEY)
    properties = value.get("properties")
    if isinstance(properties, dict) and isinstance(order, list):
        rank = {name: n for n, name in enumerate(order) if isinstance(name, str)}
        value["properties"] = dict(
            sorted(properties.items(), key=lambda item: rank.get(item[0], len(rank)))
        )
    return value


class TranslatedNameMixin(models.Model):
    name_fi = models.CharField(_("name in Finnish"), max_length=300)
    name_sv = models.CharField(_("name in Swedish"), max_length=300, blank=True)
    name_en = models.CharField(_("name in English"), max_length=300, blank=True)

    class Meta:
        abstract = True

    @property
    def name(self) -> str:
        return localized(self, "name")


class Municipality(TranslatedNameMixin):
    """A Finnish municipality by its official three-digit code (Statistics Finland)."""

    code = models.CharField(_("municipality code"), max_length=3, unique=True)
    county = models.CharField(
        _("wellbeing services county"),
        max_length=3,
        blank=True,
        help_text=_("HKI for Helsinki; empty in Åland"),
    )
    aland = models.BooleanField(
        _("in Åland"), default=False, help_text=_("Åland has its own authorities: out of scope")
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    successor = models.ForeignKey(
        "self",
        verbose_name=_("successor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="predecessors",
    )
    source_url = models.URLField(_("source"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["name_fi"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class AuthorityKind(models.TextChoices):
    POLICE = "police", _("police")
    RESCUE = "rescue", _("rescue service")
    MUNICIPAL_ENVIRONMENT = "municipal_environment", _("municipal environmental protection")
    MUNICIPAL_HEALTH = "municipal_health", _("municipal health protection")
    FOOD_CONTROL = "food_control", _("municipal food control")
    BUILDING_CONTROL = "building_control", _("building control")
    MUNICIPALITY = "municipality", _("municipality (land use)")
    REGIONAL_COUNCIL = "regional_council", _("regional council")
    LVV = "lvv", _("Permit and Supervision Agency (LVV)")
    AVI = "avi", _("Regional State Administrative Agency (AVI)")
    VALVIRA = "valvira", _("Valvira")
    ELY = "ely", _("ELY Centre")
    TUKES = "tukes", _("Finnish Safety and Chemicals Agency (Tukes)")
    TRAFICOM = "traficom", _("Finnish Transport and Communications Agency (Traficom)")
    FINTRAFFIC = "fintraffic", _("Fintraffic")
    DEFENCE_FORCES = "defence_forces", _("Finnish Defence Forces")
    FOOD_AUTHORITY = "food_authority", _("Finnish Food Authority")
    LEADER_GROUP = "leader_group", _("Leader group")
    SELF = "self", _("kept by the operator itself")
    VITALITY_CENTRE = "vitality_centre", _("vitality centre (elinvoimakeskus)")


class Origin(models.TextChoices):
    """Where a catalogue row came from: ``load-catalogue`` only removes what it loaded."""

    FILES = "files", _("catalogue data files")
    PTV = "ptv", _("service catalogue (PTV) import")
    ADMIN = "admin", _("entered in the admin")


class Authority(TranslatedNameMixin):
    """An authority that handles services, valid for a period (authorities are reorganised)."""

    code = models.SlugField(_("code"), max_length=40, unique=True, allow_unicode=False)
    kind = models.CharField(_("kind"), max_length=40, choices=AuthorityKind.choices)
    business_id = models.CharField(_("business ID"), max_length=9, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    visiting_address = models.CharField(_("visiting address"), max_length=300, blank=True)
    postal_address = models.CharField(_("postal address"), max_length=300, blank=True)
    website = models.URLField(_("web page"), blank=True)
    e_service_url = models.URLField(_("e-service address"), max_length=500, blank=True)
    service_hours_fi = models.CharField(_("service hours in Finnish"), max_length=200, blank=True)
    service_hours_sv = models.CharField(_("service hours in Swedish"), max_length=200, blank=True)
    service_hours_en = models.CharField(_("service hours in English"), max_length=200, blank=True)
    nationwide = models.BooleanField(_("serves the whole country"), default=False)
    municipalities = models.ManyToManyField(
        Municipality, verbose_name=_("area served"), related_name="authorities", blank=True
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    successor = models.ForeignKey(
        "self",
        verbose_name=_("successor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="predecessors",
    )
    origin = models.CharField(
        _("origin"), max_length=10, choices=Origin.choices, default=Origin.ADMIN
    )
    source_url = models.URLField(_("source"), max_length=500, blank=True)
    source_note = models.CharField(_("source note"), max_length=500, blank=True)
    not_found = models.JSONField(
        _("facts not found"),
        default=list,
        blank=True,
        help_text=_("contact fields no source was found for (shown as not found)"),
    )

    class Meta:
        verbose_name = _("authority")
        verbose_name_plural = _("authorities")
        ordering = ["name_fi"]
        indexes = [models.Index(fields=["kind", "valid_from", "valid_until"])]

    def __str__(self) -> str:
        return self.name

    @property
    def service_hours(self) -> str:
        return localized(self, "service_hours")

    @property
    def is_former(self) -> bool:
        """No longer valid today (reorganised away)."""
        return self.valid_until is not None and self.valid_until < timezone.localdate()

    def is_not_found(self, field: str) -> bool:
        return field in (self.not_found or [])

    def is_valid_on(self, day: date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_until is None or day <= self.valid_until
        )

    @staticmethod
    def valid_on_q(day: date) -> Q:
        return (Q(valid_from__isnull=True) | Q(valid_from__lte=day)) & (
            Q(valid_until__isnull=True) | Q(valid_until__gte=day)
        )


class PublicStatus(models.TextChoices):
    """The public status model's statuses an authority's own status can stand for.

    The values are the projects app's ``Status`` values an authority moves an application to
    (a test keeps them equal); the catalogue sits below projects and cannot import it."""

    RECEIVED = "received", _("received")
    IN_PROCESSING = "in_processing", _("in processing")
    SUPPLEMENT_REQUESTED = "supplement_requested", _("supplement requested")
    DECISION_MADE = "decision_made", _("decision made")
    CLOSED = "closed", _("closed")


class AuthorityStatus(models.Model):
    """One of an authority's own status codes (e.g. "statement requested from the rescue
    department"), with its labels and the one public status it stands for.

    Authority systems may send the code with a status event; the customer then sees the label
    beside the public status, and the metrics count the public status only."""

    authority = models.ForeignKey(
        Authority,
        verbose_name=_("authority"),
        on_delete=models.CASCADE,
        related_name="own_statuses",
    )
    code = models.SlugField(_("code"), max_length=60)
    label_fi = models.CharField(_("label in Finnish"), max_length=200)
    label_sv = models.CharField(_("label in Swedish"), max_length=200, blank=True)
    label_en = models.CharField(_("label in English"), max_length=200, blank=True)
    public_status = models.CharField(
        _("public status"), max_length=30, choices=PublicStatus.choices
    )
    origin = models.CharField(
        _("origin"), max_length=10, choices=Origin.choices, default=Origin.ADMIN
    )

    class Meta:
        verbose_name = _("authority's own status")
        verbose_name_plural = _("authorities' own statuses")
        ordering = ["authority_id", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["authority", "code"], name="catalogue_authority_status_code_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} ({self.public_status})"

    @property
    def label(self) -> str:
        return localized(self, "label")


class ServiceKind(models.TextChoices):
    PERMIT = "permit", _("permit")
    NOTIFICATION = "notification", _("notification")
    REGISTRATION = "registration", _("registration")
    PLAN = "plan", _("plan or document")
    STATEMENT = "statement", _("statement")
    PROCEDURE = "procedure", _("procedure")
    SUPPORT = "support", _("support application")


class AuthorityResolution(models.TextChoices):
    """How the concrete authority is found for a project."""

    SITE_MUNICIPALITY = "site_municipality", _("the authority of this kind serving the site")
    HOME_MUNICIPALITY = (
        "home_municipality",
        _("the authority of this kind serving the operator's home municipality"),
    )
    NATIONAL = "national", _("the one national authority of this kind")
    NONE = "none", _("no authority: the operator keeps it")


class JoiningMode(models.TextChoices):
    API = "api", _("API integration")
    LIGHT = "light", _("light e-service")
    REDIRECT = "redirect", _("redirect to the authority's e-service")


class LeadTimeUnit(models.TextChoices):
    CALENDAR_DAYS = "calendar_days", _("calendar days")
    WORKING_DAYS = "working_days", _("working days")


class Service(TranslatedNameMixin):
    """A permit, notification or other procedure one authority handles."""

    code = models.SlugField(_("code"), max_length=80, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=ServiceKind.choices)
    description_fi = models.TextField(_("description in Finnish"), blank=True)
    description_sv = models.TextField(_("description in Swedish"), blank=True)
    description_en = models.TextField(_("description in English"), blank=True)
    authority_kind = models.CharField(
        _("responsible authority kind"), max_length=40, choices=AuthorityKind.choices
    )
    authority_resolution = models.CharField(
        _("how the authority is found"),
        max_length=30,
        choices=AuthorityResolution.choices,
        default=AuthorityResolution.SITE_MUNICIPALITY,
    )
    legal_basis = models.CharField(_("legal basis"), max_length=300, blank=True)
    source_url = models.URLField(_("source"), max_length=500, blank=True)
    lead_time_days = models.PositiveIntegerField(
        _("lead time"), null=True, blank=True, help_text=_("submit at least this long before")
    )
    lead_time_unit = models.CharField(
        _("lead time unit"),
        max_length=20,
        choices=LeadTimeUnit.choices,
        default=LeadTimeUnit.CALENDAR_DAYS,
    )
    processing_time_days = models.PositiveIntegerField(
        _("processing-time target (days)"), null=True, blank=True
    )
    processing_time_note_fi = models.CharField(
        _("processing time note in Finnish"), max_length=300, blank=True
    )
    processing_time_note_sv = models.CharField(
        _("processing time note in Swedish"), max_length=300, blank=True
    )
    processing_time_note_en = models.CharField(
        _("processing time note in English"), max_length=300, blank=True
    )
    legal_basis_url = models.URLField(_("legal basis link"), max_length=500, blank=True)
    fee_fi = models.CharField(_("fee in Finnish"), max_length=500, blank=True)
    fee_sv = models.CharField(_("fee in Swedish"), max_length=500, blank=True)
    fee_en = models.CharField(_("fee in English"), max_length=500, blank=True)
    fee_url = models.URLField(_("fee tariff"), max_length=500, blank=True)
    fee_amount_eur = models.DecimalField(
        _("fixed fee (euros)"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_(
            "only a fixed sum the source publishes; empty when the fee varies or is not found"
        ),
    )
    redress_fi = models.CharField(_("means of redress in Finnish"), max_length=500, blank=True)
    redress_sv = models.CharField(_("means of redress in Swedish"), max_length=500, blank=True)
    redress_en = models.CharField(_("means of redress in English"), max_length=500, blank=True)
    fact_sources = models.JSONField(
        _("sources of the service facts"),
        default=dict,
        blank=True,
        help_text=_("processing_time / fee / redress → the URL the fact was taken from"),
    )
    depends_on = models.ManyToManyField(
        "self",
        verbose_name=_("must follow the decision of"),
        symmetrical=False,
        related_name="required_by",
        blank=True,
    )
    joining_mode = models.CharField(
        _("joining mode"), max_length=20, choices=JoiningMode.choices, default=JoiningMode.LIGHT
    )
    files_joining_mode = models.CharField(
        _("joining mode in the catalogue files"),
        max_length=20,
        blank=True,
        help_text=_(
            "what the files said at the last load: a different joining mode was set "
            "elsewhere (onboarding, admin) and a load keeps it"
        ),
    )
    redirect_url = models.URLField(_("authority's e-service address"), max_length=500, blank=True)
    integration_endpoint = models.CharField(
        _("integration endpoint reference"), max_length=200, blank=True
    )
    form_schema = FormSchemaField(
        _("service-specific form (JSON Schema)"), default=dict, blank=True
    )
    shared_data_mapping = models.JSONField(
        _("form field → shared-data field"),
        default=dict,
        blank=True,
        help_text=_("maps a property of the form schema to a vocabulary field code"),
    )
    attachments = models.JSONField(
        _("attachments"),
        default=list,
        blank=True,
        help_text=_("list of {code, name_fi, name_sv, name_en, required, types, max_bytes}"),
    )
    ptv_id = models.CharField(_("service catalogue (PTV) id"), max_length=64, blank=True)
    active = models.BooleanField(_("active"), default=True)
    origin = models.CharField(
        _("origin"), max_length=10, choices=Origin.choices, default=Origin.ADMIN
    )

    class Meta:
        verbose_name = _("service")
        verbose_name_plural = _("services")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    @property
    def description(self) -> str:
        return localized(self, "description")

    @property
    def processing_time_note(self) -> str:
        return localized(self, "processing_time_note")

    @property
    def fee(self) -> str:
        return localized(self, "fee")

    @property
    def redress(self) -> str:
        return localized(self, "redress")


class VocabularyType(models.TextChoices):
    STRING = "string", _("text")
    TEXT = "text", _("long text")
    EMAIL = "email", _("e-mail")
    PHONE = "phone", _("phone")
    INTEGER = "integer", _("whole number")
    NUMBER = "number", _("number")
    DATE = "date", _("date")
    DATETIME = "datetime", _("date and time")
    BOOLEAN = "boolean", _("yes/no")
    MUNICIPALITY = "municipality", _("municipality")
    BUSINESS_ID = "business_id", _("business ID")
    COORDINATES = "coordinates", _("coordinates")


class VocabularyField(models.Model):
    """A piece of shared data a project holds once (company, contact, site, schedule…)."""

    code = models.CharField(_("code"), max_length=80, unique=True)
    group = models.CharField(_("group"), max_length=40)
    type = models.CharField(_("type"), max_length=20, choices=VocabularyType.choices)
    label_fi = models.CharField(_("label in Finnish"), max_length=200)
    label_sv = models.CharField(_("label in Swedish"), max_length=200, blank=True)
    label_en = models.CharField(_("label in English"), max_length=200, blank=True)
    help_fi = models.CharField(_("help in Finnish"), max_length=500, blank=True)
    help_sv = models.CharField(_("help in Swedish"), max_length=500, blank=True)
    help_en = models.CharField(_("help in English"), max_length=500, blank=True)
    personal_data = models.BooleanField(_("personal data"), default=False)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("shared-data field")
        verbose_name_plural = _("shared-data fields")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.code

    @property
    def label(self) -> str:
        return localized(self, "label")

    @property
    def help(self) -> str:
        return localized(self, "help")


class ServicePackage(TranslatedNameMixin):
    """The permits of one customer situation, with its questionnaire and rules."""

    code = models.SlugField(_("code"), max_length=80, unique=True)
    description_fi = models.TextField(_("description in Finnish"), blank=True)
    description_sv = models.TextField(_("description in Swedish"), blank=True)
    description_en = models.TextField(_("description in English"), blank=True)
    services = models.ManyToManyField(
        Service, verbose_name=_("services"), related_name="packages", blank=True
    )
    questionnaire = models.JSONField(_("questionnaire"), default=list, blank=True)
    rules = models.JSONField(_("rules"), default=list, blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)
    active = models.BooleanField(_("active"), default=True)
    origin = models.CharField(
        _("origin"), max_length=10, choices=Origin.choices, default=Origin.ADMIN
    )

    class Meta:
        verbose_name = _("service package")
        verbose_name_plural = _("service packages")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name

    @property
    def description(self) -> str:
        return localized(self, "description")


class CatalogueLoad(models.Model):
    """One successful ``luvat load-catalogue`` run: what was loaded and what changed."""

    loaded_at = models.DateTimeField(_("loaded at"), default=timezone.now)
    source = models.CharField(_("source"), max_length=300)
    checksum = models.CharField(_("checksum"), max_length=64)
    summary = models.JSONField(_("changes"), default=dict)

    class Meta:
        verbose_name = _("catalogue load")
        verbose_name_plural = _("catalogue loads")
        ordering = ["-loaded_at"]

    def __str__(self) -> str:
        return f"{self.loaded_at:%Y-%m-%d %H:%M} {self.checksum[:12]}"


class ChangeStatus(models.TextChoices):
    PROPOSED = "proposed", _("awaiting review")
    PUBLISHED = "published", _("published")
    REJECTED = "rejected", _("rejected")


class ChangeTarget(models.TextChoices):
    AUTHORITY = "authority", _("authority contact details")
    SERVICE = "service", _("service facts")


class CatalogueChange(models.Model):
    """A change an authority proposed to its own catalogue entry, published after review."""

    target_type = models.CharField(_("what"), max_length=10, choices=ChangeTarget.choices)
    target_code = models.CharField(_("code"), max_length=80)
    authority_code = models.CharField(_("authority"), max_length=40, db_index=True)
    values = models.JSONField(_("new values"))
    previous = models.JSONField(_("values when proposed"))
    status = models.CharField(
        _("status"), max_length=10, choices=ChangeStatus.choices, default=ChangeStatus.PROPOSED
    )
    proposed_by = models.CharField(_("proposed by"), max_length=100)
    proposed_by_label = models.CharField(_("proposer"), max_length=200, blank=True)
    proposed_at = models.DateTimeField(_("proposed at"), default=timezone.now)
    reviewed_by = models.CharField(_("reviewed by"), max_length=100, blank=True)
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("catalogue change")
        verbose_name_plural = _("catalogue changes")
        ordering = ["-proposed_at"]

    def __str__(self) -> str:
        return f"{self.target_type} {self.target_code} ({self.status})"


class CatalogueVersion(models.Model):
    """One published catalogue change: who, when and what changed (old → new). Never edited."""

    number = models.PositiveIntegerField(_("version"), unique=True)
    change = models.OneToOneField(
        CatalogueChange, verbose_name=_("change"), on_delete=models.PROTECT, related_name="version"
    )
    published_at = models.DateTimeField(_("published at"), default=timezone.now)
    published_by = models.CharField(_("published by"), max_length=100)
    diff = models.JSONField(_("what changed"), help_text=_("field → [old, new]"))

    class Meta:
        verbose_name = _("catalogue version")
        verbose_name_plural = _("catalogue versions")
        ordering = ["-number"]

    def __str__(self) -> str:
        return f"v{self.number}"


class CatalogueRevision(models.Model):
    """One row: a number raised by every change to the catalogue (a load, a published
    change, an edit in the admin). Each process keeps its compiled copy of the catalogue
    (luvat.catalogue.snapshot) as long as the number it read is still the one in the database."""

    number = models.PositiveBigIntegerField(_("revision"), default=1)

    class Meta:
        verbose_name = _("catalogue revision")
        verbose_name_plural = _("catalogue revisions")

    def __str__(self) -> str:
        return str(self.number)
