"""A project from a stored permit-need assessment: the suggested services the customer keeps
become draft applications, and the answers that are shared-data fields become shared data."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from luvat.assessment.models import Assessment
from luvat.audit.actors import Actor
from luvat.catalogue.models import Service
from luvat.projects.errors import InvalidServiceChoice, NotOffered
from luvat.projects.from_assessment import shared_data_from_answers, suggestions, withheld
from luvat.projects.models import Project, Provenance
from luvat.projects.services.projects import project_create, shared_data_set


def project_from_assessment_existing(*, business_id: str, assessment: Assessment) -> Project | None:
    """The company's project already made from ``assessment``, if any."""
    return Project.objects.filter(
        business_id=business_id, assessment_result_id=assessment.public_id
    ).first()


def _chosen_services(
    assessment: Assessment, keep: Collection[str] | None, business_id: str
) -> list[Service]:
    """The kept suggestions (all when ``keep`` is None, leaving out those the authority offers
    only to its pilot companies, as the result told the company)."""
    suggested = suggestions(assessment.result)
    not_offered = withheld(suggested, business_id)
    codes = [s.code for s in suggested]
    if keep is None:
        chosen = [code for code in codes if code not in not_offered]
    else:
        chosen = [code for code in codes if code in set(keep)]
    errors: list[str] = []
    if keep is not None:
        not_suggested = sorted(set(keep) - set(codes))
        if not_suggested:
            errors.append(
                _("The assessment did not suggest these services: %(codes)s.")
                % {"codes": ", ".join(not_suggested)}
            )
        piloted = sorted(not_offered & set(keep))
        if piloted:
            errors.append(
                _(
                    "These services are offered here only to the authority's pilot companies; "
                    "apply through the authority's own channels: %(codes)s."
                )
                % {"codes": ", ".join(piloted)}
            )
    services = {s.code: s for s in Service.objects.filter(code__in=chosen, active=True)}
    gone = [code for code in chosen if code not in services]
    if gone:
        errors.append(
            _("These services are no longer in the catalogue: %(codes)s.")
            % {"codes": ", ".join(gone)}
        )
    if errors:
        raise InvalidServiceChoice({"service_codes": errors})
    return [services[code] for code in chosen]


@transaction.atomic
def project_create_from_assessment(
    *,
    actor: Actor,
    business_id: str,
    assessment: Assessment,
    name: str = "",
    description: str = "",
    company_name: str = "",
    keep: Collection[str] | None = None,
    shared_data: Mapping[str, Any] | None = None,
) -> Project:
    """Create the company's project from a stored assessment: one draft application per kept
    service (all suggested ones when ``keep`` is None), shared data carried from the answers
    (provenance "assessment"), then ``shared_data`` typed by the customer on top.

    One project per company and assessment: a second call (a double submit, a retry) returns
    the first project and changes nothing.
    """
    existing = project_from_assessment_existing(business_id=business_id, assessment=assessment)
    if existing is not None:
        return existing
    services = _chosen_services(assessment, keep, business_id)
    package_name = str((assessment.result.get("package") or {}).get("name", ""))
    try:
        with transaction.atomic():
            project = project_create(
                actor=actor,
                business_id=business_id,
                name=(name.strip() or package_name or assessment.package.code)[:200],
                description=description.strip(),
                company_name=company_name,
                package=assessment.package,
                services=services,
                shared_data=shared_data_from_answers(assessment),
                shared_data_provenance=Provenance.ASSESSMENT,
                assessment_result_id=assessment.public_id,
                assessment_answers=assessment.answers,
            )
            if shared_data:
                shared_data_set(project=project, values=shared_data, actor=actor)
    except NotOffered as refused:
        # The site's authority differs from the assessment's and pilots the service.
        raise InvalidServiceChoice({"service_codes": [str(refused)]}) from None
    except IntegrityError:
        # Two requests raced past the check above; the unique constraint let one through.
        existing = project_from_assessment_existing(business_id=business_id, assessment=assessment)
        if existing is None:
            raise
        return existing
    project.refresh_from_db()
    return project
