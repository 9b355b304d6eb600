from luvat.audit.actors import Actor, ActorKind
from luvat.discussion.services import ApplicationThreadSpec, discussion_room_sync

COMPANY = "1234567-1"
OTHER_COMPANY = "7654321-2"
RESCUE = "hki-rescue"
POLICE = "hki-police"
TUKES = "tukes"


def customer(business_id=COMPANY, ref="person:2"):
    return Actor(
        kind=ActorKind.CUSTOMER, ref=ref, label="Cecilia Customer", on_behalf_of=business_id
    )


def official(authority=RESCUE, ref="", label="Olli Official"):
    """An official holding a role at ``authority`` (the policy checks the role exists)."""
    from luvat.identity.models import OfficialRole
    from tests.identity.factories import OfficialRoleFactory

    role = OfficialRole.objects.filter(authority_code=authority).first()
    if role is None:
        role = OfficialRoleFactory.create(authority_code=authority)
    return Actor(
        kind=ActorKind.OFFICIAL, ref=f"person:{role.person_id}", label=label, on_behalf_of=authority
    )


def project_with_applications(project_id, application_ids):
    """A real project and applications with the given ids (the room refers to them)."""
    from luvat.projects.models import Application, Project
    from tests.projects.factories import ServiceFactory

    project = Project.objects.filter(pk=project_id).first() or Project.objects.create(
        pk=project_id, business_id=COMPANY, name="Helsinki Summer Festival"
    )
    for application_id in application_ids:
        if not Application.objects.filter(pk=application_id).exists():
            Application.objects.create(
                pk=application_id,
                project=project,
                service=ServiceFactory.create(),
                reference=f"{project.reference}-{application_id}",
            )
    return project


def festival_room(project_id=41):
    """A project with a rescue-plan application (rescue) and a public-event notice (police)."""
    project_with_applications(project_id, [501, 502])
    return discussion_room_sync(
        actor=Actor.system("test"),
        project_id=project_id,
        title="Helsinki Summer Festival",
        business_id=COMPANY,
        applications=[
            ApplicationThreadSpec(application_id=501, authority_code=RESCUE, title="Rescue plan"),
            ApplicationThreadSpec(
                application_id=502, authority_code=POLICE, title="Public event notice"
            ),
        ],
    )
