"""Planning helpers of a joining: change-metric baselines, the cost-benefit sheet, the risk
register and pilot feedback."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from luvat.onboarding.models.joinings import Joining, ServiceJoining


class Metric(models.TextChoices):
    """The change metrics (muutosmittarit) measured from the applications' status events."""

    APPLICATIONS_PER_MONTH = "applications_per_month", _("applications per month")
    MEDIAN_DAYS_TO_RECEIVED = "median_days_to_received", _("median days from submission to receipt")
    P90_DAYS_TO_RECEIVED = "p90_days_to_received", _("90th percentile days to receipt")
    MEDIAN_DAYS_TO_DECISION = (
        "median_days_to_decision",
        _("median days from submission to decision"),
    )
    P90_DAYS_TO_DECISION = "p90_days_to_decision", _("90th percentile days to decision")
    SHARE_WITHIN_TARGET = "share_within_target", _("share decided within the target (%)")
    SUPPLEMENT_RATE = "supplement_rate", _("share with a supplement request (%)")
    DEADLINES_MISSED = "deadlines_missed", _("share of decision deadlines missed (%)")


class MetricBaseline(models.Model):
    """The before-state of one metric as the authority measured it (``service`` empty: all)."""

    joining = models.ForeignKey(
        Joining, verbose_name=_("joining"), on_delete=models.CASCADE, related_name="baselines"
    )
    service_joining = models.ForeignKey(
        ServiceJoining,
        verbose_name=_("service"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="baselines",
    )
    metric = models.CharField(_("metric"), max_length=40, choices=Metric.choices)
    value = models.DecimalField(_("before"), max_digits=12, decimal_places=2)
    target = models.DecimalField(_("target"), max_digits=12, decimal_places=2, null=True)
    source = models.CharField(_("how it was measured"), max_length=300, blank=True)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    class Meta:
        verbose_name = _("metric baseline")
        verbose_name_plural = _("metric baselines")
        ordering = ["joining", "metric"]
        constraints = [
            models.UniqueConstraint(
                fields=["joining", "service_joining", "metric"], name="baseline_once"
            ),
            # NULLs are distinct in a unique index: one authority-wide baseline per metric.
            models.UniqueConstraint(
                fields=["joining", "metric"],
                condition=models.Q(service_joining__isnull=True),
                name="authority_baseline_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.metric}={self.value}"


class CostBenefitKind(models.TextChoices):
    COST = "cost", _("cost")
    BENEFIT = "benefit", _("benefit")


class CostBenefitLine(models.Model):
    """One line of the cost-benefit sheet: a cost or an expected benefit in one year."""

    joining = models.ForeignKey(
        Joining, verbose_name=_("joining"), on_delete=models.CASCADE, related_name="cost_benefit"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=CostBenefitKind.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    description = models.CharField(_("description"), max_length=300)
    amount_eur = models.DecimalField(_("amount (EUR)"), max_digits=12, decimal_places=2)
    metric = models.CharField(_("measured by"), max_length=40, choices=Metric.choices, blank=True)
    expected_value = models.DecimalField(
        _("expected value of the metric"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("cost-benefit line")
        verbose_name_plural = _("cost-benefit lines")
        ordering = ["joining", "year", "kind", "id"]

    def __str__(self) -> str:
        return f"{self.year} {self.kind} {self.amount_eur}"


class Level(models.IntegerChoices):
    VERY_LOW = 1, _("very low")
    LOW = 2, _("low")
    MEDIUM = 3, _("medium")
    HIGH = 4, _("high")
    VERY_HIGH = 5, _("very high")


class Risk(models.Model):
    """A row of the joining's risk register (riskianalyysi)."""

    joining = models.ForeignKey(
        Joining, verbose_name=_("joining"), on_delete=models.CASCADE, related_name="risks"
    )
    title = models.CharField(_("risk"), max_length=300)
    likelihood = models.PositiveSmallIntegerField(_("likelihood"), choices=Level.choices)
    impact = models.PositiveSmallIntegerField(_("impact"), choices=Level.choices)
    mitigation = models.TextField(_("mitigation"), blank=True)
    owner = models.CharField(_("owner"), max_length=200, blank=True)
    review_on = models.DateField(_("next review"), null=True, blank=True)
    production_phase = models.BooleanField(_("concerns the production phase"), default=False)
    closed = models.BooleanField(_("closed"), default=False)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    class Meta:
        verbose_name = _("risk")
        verbose_name_plural = _("risks")
        ordering = ["joining", "closed", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def score(self) -> int:
        return int(self.likelihood) * int(self.impact)


class RespondentKind(models.TextChoices):
    CUSTOMER = "customer", _("customer")
    OFFICIAL = "official", _("official")


class PilotFeedback(models.Model):
    """Feedback on a piloted service from a pilot company's customer or an official."""

    service_joining = models.ForeignKey(
        ServiceJoining,
        verbose_name=_("service joining"),
        on_delete=models.CASCADE,
        related_name="feedback",
    )
    respondent = models.CharField(_("respondent"), max_length=20, choices=RespondentKind.choices)
    business_id = models.CharField(_("business ID"), max_length=9, blank=True)
    actor_ref = models.CharField(_("actor"), max_length=128, blank=True)
    rating = models.PositiveSmallIntegerField(_("overall rating"), choices=Level.choices)
    worked_well = models.TextField(_("what worked well"), blank=True)
    to_improve = models.TextField(_("what should be improved"), blank=True)
    created_at = models.DateTimeField(_("given at"), default=timezone.now)

    class Meta:
        verbose_name = _("pilot feedback")
        verbose_name_plural = _("pilot feedback")
        ordering = ["service_joining", "-created_at"]

    def __str__(self) -> str:
        return f"{self.respondent} {self.rating}"
