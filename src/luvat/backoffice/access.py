"""The back office's use of the identity policy: which application an actor may reach and how
much of it. The rules live in :mod:`luvat.identity.policy`; this module only describes our
objects to it and writes the access log."""

from __future__ import annotations

from uuid import UUID

from django.core.exceptions import ValidationError
from django.http import Http404

from luvat.audit.actors import Actor
from luvat.audit.services import access_record
from luvat.catalogue.joining import meaning
from luvat.identity.policy import ApplicationRef, Part, authorise, can_read_application
from luvat.projects.models import Application
from luvat.projects.status import Status


def is_draft_for_authority(application: Application) -> bool:
    """A draft the authority has nothing of. A redirect-mode application is filled in the
    authority's own e-service, so its authority may find it (by reference) while it is a draft
    here."""
    return (
        application.status == Status.DRAFT and not meaning(application.route).authority_sees_drafts
    )


def application_ref(
    application: Application, project_authority_codes: frozenset[str] = frozenset()
) -> ApplicationRef:
    authority = application.authority
    return ApplicationRef(
        business_id=application.project.business_id,
        authority_code=authority.code if authority else "",
        service_code=application.service.code,
        is_draft=is_draft_for_authority(application),
        project_authority_codes=project_authority_codes,
    )


def project_authority_codes(application: Application) -> frozenset[str]:
    """Authorities handling a non-draft application of the application's project (one query)."""
    codes = (
        Application.objects.filter(project_id=application.project_id, authority__isnull=False)
        .exclude(status__in=[Status.DRAFT, Status.CANCELLED])
        .values_list("authority__code", flat=True)
    )
    return frozenset(codes)


def application_for(
    actor: Actor, public_id: UUID | str, *, purpose: str, part: Part
) -> Application:
    """The application if ``actor`` may read ``part`` of it; 404 when it does not exist or the
    actor may not know of it (another company's or authority's), 403 when they may see only
    less of it; refusals and reads are access-logged."""
    try:
        application = Application.objects.select_related(
            "project", "service", "authority", "case_file"
        ).get(public_id=public_id)
    except (Application.DoesNotExist, ValueError, ValidationError):
        raise Http404("no such application") from None
    ref = application_ref(application, project_authority_codes(application))
    authorise(
        actor,
        can_read_application(actor, ref, part),
        object_type="application",
        object_id=application.public_id,
        purpose=purpose,
        subject_business_id=application.project.business_id,
        known=can_read_application(actor, ref, Part.STATUS),
    )
    access_record(
        actor=actor,
        object_type="application",
        object_id=application.public_id,
        purpose=purpose,
        subject_business_id=application.project.business_id,
    )
    return application
