"""Notices follow the change: in every joining mode, the officials of the handling authority
hear of a new application, of changed shared data and of a withdrawal (in the service and by
e-mail, as each prefers), from the one status listener and its table; nobody else does."""

from __future__ import annotations

from typing import cast

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from luvat.backoffice.services import application_mark_received
from luvat.catalogue.models import JoiningMode, Service
from luvat.identity.models import OfficialRole
from luvat.notifications.models import EmailState, Notification, NotificationKind
from luvat.notifications.services import notification_preferences_update
from luvat.notifications.tasks import fan_out_batch
from luvat.projects.models import Application
from luvat.projects.services import (
    application_redirect_record,
    application_save_form,
    application_status_change,
    application_submit,
    attachment_add,
    project_create,
    shared_data_change_propagate,
    shared_data_set,
)
from luvat.projects.status import Status
from tests.backoffice.factories import actor_of, pdf
from tests.identity.factories import OfficialRoleFactory
from tests.notifications.factories import EmailAddressFactory
from tests.projects.factories import (
    BUSINESS_A,
    CUSTOMER_A,
    AuthorityFactory,
    MunicipalityFactory,
    ServiceFactory,
    vocabulary,
)

pytestmark = pytest.mark.django_db
AUTHORITY = "HKI-POLICE"
OTHER = "HKI-RESCUE"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def started_application(mode: str) -> Application:
    MunicipalityFactory()
    vocabulary()
    AuthorityFactory(code=AUTHORITY)
    service = cast(
        Service,
        ServiceFactory(
            code=f"notice-{mode}",
            joining_mode=mode,
            redirect_url="https://asiointi.example.fi/ilmoitus",
        ),
    )
    project = project_create(
        actor=CUSTOMER_A, business_id=BUSINESS_A, name="Kesäfestivaali", services=[service]
    )
    application = project.applications.get()
    application = application_save_form(
        application=application,
        data={
            "organiser_email": "aino@example.fi",
            "event_name": "Kesäfestivaali",
            "attendance": 1200,
            "fireworks": False,
            "venue_kind": "outdoor",
        },
        actor=CUSTOMER_A,
    )
    attachment_add(
        application=application,
        code="site_map",
        upload=SimpleUploadedFile("kartta.pdf", pdf().read(), content_type="application/pdf"),
        actor=CUSTOMER_A,
    )
    return application


def comes_to_the_authority(application: Application) -> None:
    """The customer's way of handing the application over in its mode."""
    if application.route == JoiningMode.REDIRECT:
        application_redirect_record(application=application, actor=CUSTOMER_A)
    else:
        application_submit(application=application, actor=CUSTOMER_A)


def heard(role: OfficialRole) -> dict[str, Notification]:
    """What the official has been told since last asked."""
    fan_out_batch()
    told = Notification.objects.filter(recipient_id=role.person.user_id)
    news = {notification.kind: notification for notification in told}
    told.delete()
    return news


@pytest.mark.parametrize("mode", [JoiningMode.API, JoiningMode.LIGHT, JoiningMode.REDIRECT])
def test_officials_of_the_handling_authority_hear_of_submission_shared_data_and_withdrawal(
    mode,
) -> None:
    application = started_application(mode)
    paula = cast(OfficialRole, OfficialRoleFactory(authority_code=AUTHORITY))
    EmailAddressFactory(user=paula.person.user, address="paula@poliisi.example.fi")
    # Paula wants shared-data changes in the service only, not by e-mail.
    notification_preferences_update(
        actor=actor_of(paula.person, "official", AUTHORITY),  # type: ignore[arg-type]
        user_id=paula.person.user_id,
        language="fi",
        channels={NotificationKind.SHARED_DATA_CHANGED: (True, False)},
    )
    stranger = cast(OfficialRole, OfficialRoleFactory(authority_code=OTHER))
    # A draft filled in here is nobody's business but the customer's yet (a redirect-mode one
    # is the authority's from the start: the customer finishes it in its own e-service).
    before = heard(paula)
    assert NotificationKind.NEW_APPLICATION not in before
    if mode != JoiningMode.REDIRECT:
        assert before == {}

    comes_to_the_authority(application)
    new = heard(paula)[NotificationKind.NEW_APPLICATION]
    assert application.reference in new.body
    assert new.url.endswith(f"/backoffice/applications/{application.public_id}/")
    assert new.in_list and new.email_state == EmailState.PENDING

    if mode == JoiningMode.REDIRECT:
        # Filled in the authority's own e-service: the official records its arrival here.
        official = actor_of(paula.person, "official", AUTHORITY)  # type: ignore[arg-type]
        application_mark_received(application=application, actor=official)
        heard(paula)
    shared_data_set(
        project=application.project,
        values={"contact_email": "uusi@example.fi"},
        actor=CUSTOMER_A,
    )
    assert NotificationKind.SHARED_DATA_CHANGED not in heard(paula), "not sent yet"
    shared_data_change_propagate(project=application.project, actor=CUSTOMER_A)
    changed = heard(paula)[NotificationKind.SHARED_DATA_CHANGED]
    assert "contact_email" in changed.body
    assert changed.in_list and changed.email_state == EmailState.NOT_WANTED
    application_status_change(application=application, status=Status.WITHDRAWN, actor=CUSTOMER_A)
    withdrawn = heard(paula)[NotificationKind.APPLICATION_WITHDRAWN]
    assert application.reference in withdrawn.body

    assert heard(stranger) == {}, "another authority hears nothing of it"


def test_the_company_hears_of_the_authoritys_acts_not_of_its_own(db) -> None:
    application = started_application(JoiningMode.LIGHT)
    role = cast(OfficialRole, OfficialRoleFactory(authority_code=AUTHORITY))
    official = actor_of(role.person, "official", AUTHORITY)  # type: ignore[arg-type]
    application_submit(application=application, actor=CUSTOMER_A)
    application_mark_received(application=application, actor=official)
    from luvat.notifications.models import NotificationEvent

    audiences = [
        (
            event.kind,
            tuple(event.audience["business_ids"]),
            tuple(code for code, _service in event.audience["authority_services"]),
        )
        for event in NotificationEvent.objects.order_by("id")
    ]
    assert audiences == [
        (NotificationKind.NEW_APPLICATION, (), (AUTHORITY,)),
        (NotificationKind.STATUS_CHANGED, (BUSINESS_A,), ()),
    ]


@pytest.mark.parametrize("mode", [JoiningMode.API, JoiningMode.LIGHT, JoiningMode.REDIRECT])
def test_notices_to_officials_follow_their_service_scope(mode) -> None:
    """An official limited to other services of the handling authority hears nothing of the
    application (the inbox's scope); one limited to its service and an unlimited one do."""
    application = started_application(mode)
    own = cast(
        OfficialRole,
        OfficialRoleFactory(authority_code=AUTHORITY, service_codes=[application.service.code]),
    )
    whole = cast(OfficialRole, OfficialRoleFactory(authority_code=AUTHORITY))
    elsewhere = cast(
        OfficialRole, OfficialRoleFactory(authority_code=AUTHORITY, service_codes=["fireworks"])
    )
    heard(own), heard(whole), heard(elsewhere)

    comes_to_the_authority(application)
    assert NotificationKind.NEW_APPLICATION in heard(own)
    assert NotificationKind.NEW_APPLICATION in heard(whole)
    assert heard(elsewhere) == {}

    if mode == JoiningMode.REDIRECT:
        official = actor_of(whole.person, "official", AUTHORITY)  # type: ignore[arg-type]
        application_mark_received(application=application, actor=official)
        heard(own), heard(whole), heard(elsewhere)
    shared_data_set(
        project=application.project, values={"contact_email": "uusi@example.fi"}, actor=CUSTOMER_A
    )
    shared_data_change_propagate(project=application.project, actor=CUSTOMER_A)
    application_status_change(application=application, status=Status.WITHDRAWN, actor=CUSTOMER_A)
    told = heard(own)
    assert {NotificationKind.SHARED_DATA_CHANGED, NotificationKind.APPLICATION_WITHDRAWN} <= set(
        told
    )
    assert heard(elsewhere) == {}
