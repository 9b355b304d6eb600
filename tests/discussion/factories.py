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


def official(authority=RESCUE, ref="person:1", label="Olli Official"):
    return Actor(kind=ActorKind.OFFICIAL, ref=ref, label=label, on_behalf_of=authority)


def festival_room(project_id=41):
    """A project with a rescue-plan application (rescue) and a public-event notice (police)."""
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
