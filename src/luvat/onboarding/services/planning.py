"""Baselines of the change metrics, the cost-benefit sheet, the risk register, pilot feedback."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from luvat.audit.actors import Actor
from luvat.audit.services import audit_record
from luvat.onboarding.errors import OnboardingError
from luvat.onboarding.models import (
    CostBenefitKind,
    CostBenefitLine,
    Joining,
    Metric,
    MetricBaseline,
    PilotFeedback,
    RespondentKind,
    Risk,
    ServiceJoining,
)
from luvat.onboarding.phases import Phase

PERCENT_METRICS = frozenset(
    {Metric.SHARE_WITHIN_TARGET, Metric.SUPPLEMENT_RATE, Metric.DEADLINES_MISSED}
)


def _check_metric_value(field: str, metric: str, value: Decimal | None) -> None:
    if value is None:
        return
    if value < 0:
        raise OnboardingError(field, _("The value cannot be negative."))
    if metric in PERCENT_METRICS and value > 100:
        raise OnboardingError(field, _("A share is at most 100 %."))


@transaction.atomic
def baseline_set(
    *,
    joining: Joining,
    metric: str,
    value: Decimal,
    actor: Actor,
    service_joining: ServiceJoining | None = None,
    target: Decimal | None = None,
    source: str = "",
) -> MetricBaseline:
    """Enter (or correct) the before-state of a metric and the target for the after-state."""
    if metric not in Metric.values:
        raise OnboardingError("metric", _("Choose a metric."))
    _check_metric_value("value", metric, value)
    _check_metric_value("target", metric, target)
    if service_joining is not None and service_joining.joining_id != joining.pk:
        raise OnboardingError("service_joining", _("Choose a service of this joining."))
    baseline, _created = MetricBaseline.objects.update_or_create(
        joining=joining,
        service_joining=service_joining,
        metric=metric,
        defaults={
            "value": value,
            "target": target,
            "source": source.strip(),
            "updated_at": timezone.now(),
        },
    )
    audit_record(
        actor=actor,
        action="metric_baseline.set",
        target=baseline,
        details={"metric": metric, "value": str(value)},
    )
    return baseline


@transaction.atomic
def cost_benefit_add(
    *,
    joining: Joining,
    kind: str,
    year: int,
    description: str,
    amount_eur: Decimal,
    actor: Actor,
    metric: str = "",
    expected_value: Decimal | None = None,
) -> CostBenefitLine:
    """Add a cost or an expected benefit of one year to the sheet."""
    if kind not in CostBenefitKind.values:
        raise OnboardingError("kind", _("Choose cost or benefit."))
    if not 2000 <= year <= 2100:
        raise OnboardingError("year", _("Enter a year between 2000 and 2100."))
    if not description.strip():
        raise OnboardingError("description", _("Describe the cost or benefit."))
    if amount_eur < 0:
        raise OnboardingError("amount_eur", _("Enter the amount as a positive number."))
    if metric and metric not in Metric.values:
        raise OnboardingError("metric", _("Choose a metric."))
    if expected_value is not None and not metric:
        raise OnboardingError("metric", _("Choose the metric the expected value is for."))
    _check_metric_value("expected_value", metric, expected_value)
    line = CostBenefitLine.objects.create(
        joining=joining,
        kind=kind,
        year=year,
        description=description.strip(),
        amount_eur=amount_eur,
        metric=metric,
        expected_value=expected_value,
    )
    audit_record(actor=actor, action="cost_benefit.add", target=line)
    return line


@transaction.atomic
def cost_benefit_remove(*, line: CostBenefitLine, actor: Actor) -> None:
    """Remove a line of the cost-benefit sheet."""
    audit_record(actor=actor, action="cost_benefit.remove", target=line)
    line.delete()


def _check_risk(title: str, likelihood: int, impact: int) -> None:
    if not title.strip():
        raise OnboardingError("title", _("Describe the risk."))
    for field, value in (("likelihood", likelihood), ("impact", impact)):
        if not 1 <= value <= 5:
            raise OnboardingError(field, _("Choose a level from 1 to 5."))


@transaction.atomic
def risk_add(
    *,
    joining: Joining,
    title: str,
    likelihood: int,
    impact: int,
    actor: Actor,
    mitigation: str = "",
    owner: str = "",
    review_on: date | None = None,
    production_phase: bool = False,
) -> Risk:
    """Add a risk to the joining's register."""
    _check_risk(title, likelihood, impact)
    risk = Risk.objects.create(
        joining=joining,
        title=title.strip(),
        likelihood=likelihood,
        impact=impact,
        mitigation=mitigation.strip(),
        owner=owner.strip(),
        review_on=review_on,
        production_phase=production_phase,
    )
    audit_record(actor=actor, action="risk.add", target=risk)
    return risk


@transaction.atomic
def risk_update(
    *,
    risk: Risk,
    title: str,
    likelihood: int,
    impact: int,
    mitigation: str,
    owner: str,
    review_on: date | None,
    production_phase: bool,
    closed: bool,
    actor: Actor,
) -> Risk:
    """Change a risk of the register (reassess, mitigate, close)."""
    _check_risk(title, likelihood, impact)
    locked = Risk.objects.select_for_update().get(pk=risk.pk)
    locked.title = title.strip()
    locked.likelihood = likelihood
    locked.impact = impact
    locked.mitigation = mitigation.strip()
    locked.owner = owner.strip()
    locked.review_on = review_on
    locked.production_phase = production_phase
    locked.closed = closed
    locked.updated_at = timezone.now()
    locked.save(
        update_fields=[
            "title",
            "likelihood",
            "impact",
            "mitigation",
            "owner",
            "review_on",
            "production_phase",
            "closed",
            "updated_at",
        ]
    )
    audit_record(actor=actor, action="risk.update", target=locked, details={"closed": closed})
    return locked


@transaction.atomic
def pilot_feedback_give(
    *,
    service_joining: ServiceJoining,
    respondent: str,
    rating: int,
    actor: Actor,
    business_id: str = "",
    worked_well: str = "",
    to_improve: str = "",
) -> PilotFeedback:
    """Store a pilot company's or an official's feedback on a piloted service."""
    if service_joining.phase != Phase.PILOT:
        raise OnboardingError("service", _("This service is not being piloted now."))
    if respondent not in RespondentKind.values:
        raise OnboardingError("respondent", _("Choose who is giving the feedback."))
    if not 1 <= rating <= 5:
        raise OnboardingError("rating", _("Choose a rating from 1 to 5."))
    feedback = PilotFeedback.objects.create(
        service_joining=service_joining,
        respondent=respondent,
        business_id=business_id,
        actor_ref=actor.ref,
        rating=rating,
        worked_well=worked_well.strip(),
        to_improve=to_improve.strip(),
    )
    audit_record(actor=actor, action="pilot_feedback.give", target=feedback)
    return feedback
