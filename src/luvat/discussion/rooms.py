"""A project's room as the projects context stands now: its threads follow the applications
that have reached an authority."""

from __future__ import annotations

from luvat.audit.actors import Actor
from luvat.discussion.models import DiscussionRoom, Thread
from luvat.discussion.services import ApplicationThreadSpec, discussion_room_sync
from luvat.projects.models import Application, Project, authority_has


def thread_specs(project: Project) -> list[ApplicationThreadSpec]:
    """One thread per application an authority has: not cancelled ones, not drafts (except
    redirect-mode ones, which the customer fills in the authority's own e-service)."""
    applications = (
        Application.objects.filter(authority_has(), project=project)
        .select_related("service", "authority")
        .order_by("id")
    )
    return [
        ApplicationThreadSpec(
            application_id=a.pk,
            authority_code=a.authority.code if a.authority else "",
            title=f"{a.service.name_fi} ({a.reference})",
        )
        for a in applications
    ]


def room_for_project(project: Project) -> DiscussionRoom:
    """The project's room, created or brought in step first when the applications changed."""
    specs = thread_specs(project)
    room = DiscussionRoom.objects.filter(project=project).first()
    if room is not None:
        have = set(
            Thread.objects.filter(room=room, application__isnull=False).values_list(
                "application_id", "authority_code"
            )
        )
        want = {(s.application_id, s.authority_code) for s in specs}
        codes = sorted({s.authority_code for s in specs})
        if want <= have and room.authority_codes == codes and room.title == project.name[:200]:
            return room
    return discussion_room_sync(
        actor=Actor.system("discussion"),
        project_id=project.pk,
        title=project.name,
        business_id=project.business_id,
        applications=specs,
    )
