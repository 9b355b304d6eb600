"""The projects app's use of the identity policy: which project or application an actor may
reach. Views and API handlers call these; the rules themselves live in luvat.identity.policy."""

from __future__ import annotations

from uuid import UUID

from django.core.exceptions import ValidationError
from django.http import Http404

from luvat.audit.actors import Actor
from luvat.audit.services import access_record
from luvat.identity.policy import acting_company, authorise, can_act_for_company
from luvat.projects.models import Project


def project_for(
    actor: Actor, public_id: UUID | str, *, purpose: str, write: bool = False
) -> Project:
    """The project, if ``actor`` acts for its company; another company's answers 404 like a
    missing one (access-logged), so that ids cannot be probed."""
    try:
        project = Project.objects.select_related("package").get(public_id=public_id)
    except (Project.DoesNotExist, ValueError, ValidationError):
        raise Http404("no such project") from None
    authorise(
        actor,
        can_act_for_company(actor, project.business_id),
        object_type="project",
        object_id=project.public_id,
        purpose=purpose,
        subject_business_id=project.business_id,
        known=False,
    )
    if not write:
        access_record(
            actor=actor,
            object_type="project",
            object_id=project.public_id,
            purpose=purpose,
            subject_business_id=project.business_id,
        )
    return project


def company_projects_read(actor: Actor, *, purpose: str) -> str:
    """The business ID whose project list ``actor`` reads (their chosen company), logged."""
    access_record(
        actor=actor,
        object_type="company-projects",
        object_id=acting_company(actor),
        purpose=purpose,
        subject_business_id=acting_company(actor),
    )
    return acting_company(actor)
