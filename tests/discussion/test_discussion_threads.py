import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404

from luvat.audit.selectors import audit_events_for
from luvat.discussion.models import Message, MessageAttachment, ThreadKind
from luvat.discussion.selectors import project_threads, thread_for, thread_messages
from luvat.discussion.services import message_post, thread_mark_read
from luvat.notifications.models import NotificationEvent
from luvat.projects.models import Application
from tests.discussion.factories import (
    COMPANY,
    OTHER_COMPANY,
    POLICE,
    RESCUE,
    TUKES,
    customer,
    festival_room,
    official,
)
from tests.samples import MINIMAL_PDF

pytestmark = pytest.mark.django_db


@pytest.fixture
def room():
    return festival_room()


@pytest.fixture
def users():
    model = get_user_model()
    return {name: model.objects.create_user(name, f"{name}@example.fi") for name in ("c", "r", "p")}


def authorities_of(audience):
    """The authorities whose officials (handling the service) an audience names."""
    return sorted({code for code, _service in audience["authority_services"]})


def thread_of(room, kind, application_id=None):
    return room.threads.get(kind=kind, application_id=application_id)


def test_a_project_has_a_customer_thread_an_authorities_thread_and_one_per_application(room):
    kinds = sorted((t.kind, t.application_id, t.authority_code) for t in room.threads.all())
    assert kinds == [
        (ThreadKind.APPLICATION, 501, RESCUE),
        (ThreadKind.APPLICATION, 502, POLICE),
        (ThreadKind.AUTHORITIES, None, ""),
        (ThreadKind.CUSTOMER, None, ""),
    ]
    assert room.authority_codes == [POLICE, RESCUE]
    festival_room()  # syncing again changes nothing
    assert room.threads.count() == 4


def test_each_party_sees_only_its_threads(room):
    def visible(actor):
        _room, summaries = project_threads(actor, project_id=41, user_id=None)
        return sorted((s.thread.kind, s.thread.application_id or 0) for s in summaries)

    assert visible(customer()) == [("application", 501), ("application", 502), ("customer", 0)]
    assert visible(official(RESCUE)) == [("application", 501), ("authorities", 0), ("customer", 0)]
    assert visible(official(POLICE)) == [("application", 502), ("authorities", 0), ("customer", 0)]
    assert visible(official(TUKES)) == []
    assert visible(customer(OTHER_COMPANY)) == []


def test_a_message_to_a_thread_the_person_cannot_see_is_refused_and_nothing_saved(room):
    authorities_only = thread_of(room, ThreadKind.AUTHORITIES)
    with pytest.raises(PermissionDenied):
        message_post(actor=customer(), user_id=None, thread=authorities_only, body="Hello")
    with pytest.raises(PermissionDenied):
        message_post(
            actor=official(POLICE),
            user_id=None,
            thread=thread_of(room, ThreadKind.APPLICATION, 501),
            body="Hello",
        )
    with pytest.raises(PermissionDenied):
        message_post(
            actor=customer(OTHER_COMPANY),
            user_id=None,
            thread=thread_of(room, ThreadKind.CUSTOMER),
            body="Hello",
        )
    with pytest.raises(Http404):
        thread_for(customer(), authorities_only.pk)
    assert not Message.objects.exists()
    assert not NotificationEvent.objects.exists()


def test_posting_records_the_author_notifies_the_other_parties_and_tracks_unread(room, users):
    thread = thread_of(room, ThreadKind.CUSTOMER)
    message = message_post(
        actor=customer(), user_id=users["c"].pk, thread=thread, body="  When is the inspection?  "
    )

    assert message.body == "When is the inspection?"
    assert message.author_party == COMPANY
    assert [a.action for a in audit_events_for(message)] == ["discussion.message_post"]
    published = NotificationEvent.objects.get()
    services = {501: "", 502: ""} | dict(
        Application.objects.filter(pk__in=[501, 502]).values_list("pk", "service__code")
    )
    assert published.audience == {
        "business_ids": [COMPANY],
        "authority_codes": [],
        # The officials handling one of the project's applications (discussion.policy).
        "authority_services": sorted([[POLICE, services[502]], [RESCUE, services[501]]]),
        "user_ids": [],
        "exclude_user_ids": [users["c"].pk],
    }
    # The author has read it; the rescue official has not, until they open the thread.
    _room, mine = project_threads(customer(), project_id=41, user_id=users["c"].pk)
    assert not any(s.unread for s in mine)
    _room, theirs = project_threads(official(RESCUE), project_id=41, user_id=users["r"].pk)
    assert [s.thread.kind for s in theirs if s.unread] == ["customer"]
    thread.refresh_from_db()
    thread_mark_read(user_id=users["r"].pk, thread=thread)
    _room, theirs = project_threads(official(RESCUE), project_id=41, user_id=users["r"].pk)
    assert not any(s.unread for s in theirs)


def test_mentioning_an_authority_directs_the_notification_to_it(room):
    message_post(
        actor=customer(),
        user_id=None,
        thread=thread_of(room, ThreadKind.CUSTOMER),
        body="@HKI-Rescue can you check the exits? @tukes is not in this project",
    )
    published = NotificationEvent.objects.get()
    assert authorities_of(published.audience) == [RESCUE]
    assert Message.objects.get().mentioned_authorities == [RESCUE]


def test_an_application_thread_notifies_only_its_authority(room):
    message_post(
        actor=official(RESCUE),
        user_id=None,
        thread=thread_of(room, ThreadKind.APPLICATION, 501),
        body="Please add exits.",
    )
    assert authorities_of(NotificationEvent.objects.get().audience) == [RESCUE]
    assert NotificationEvent.objects.get().audience["business_ids"] == [COMPANY]


@pytest.mark.parametrize("body", ["", "   ", "x" * 10_001])
def test_empty_or_too_long_messages_are_refused(room, body):
    with pytest.raises(ValidationError) as refused:
        message_post(
            actor=customer(), user_id=None, thread=thread_of(room, ThreadKind.CUSTOMER), body=body
        )
    assert "body" in refused.value.message_dict


def test_attachments_are_stored_and_forbidden_types_refused_without_saving_anything(
    room, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    thread = thread_of(room, ThreadKind.APPLICATION, 501)
    pdf = SimpleUploadedFile("../../Rescue plan.pdf", MINIMAL_PDF, content_type="application/pdf")
    message = message_post(
        actor=customer(), user_id=None, thread=thread, body="Plan attached", attachments=[pdf]
    )
    [attachment] = message.attachments.all()
    assert attachment.filename == "Rescue plan.pdf"
    assert attachment.content_type == "application/pdf"
    assert attachment.file.read() == MINIMAL_PDF

    for bad in (
        SimpleUploadedFile("tool.exe", b"MZ\x90\x00", content_type="application/octet-stream"),
        SimpleUploadedFile("fake.pdf", b"<html>not a pdf</html>", content_type="application/pdf"),
        SimpleUploadedFile("page.html", b"<script>", content_type="text/html"),
        SimpleUploadedFile("binary.txt", b"abc\x00def", content_type="text/plain"),
    ):
        with pytest.raises(ValidationError) as refused:
            message_post(
                actor=customer(), user_id=None, thread=thread, body="more", attachments=[bad]
            )
        assert "attachments" in refused.value.message_dict
    assert Message.objects.count() == 1
    assert MessageAttachment.objects.count() == 1


def test_the_builtin_backend_shows_messages_oldest_first(room, django_assert_num_queries):
    thread = thread_of(room, ThreadKind.CUSTOMER)
    for text in ("first", "second", "third"):
        message_post(actor=customer(), user_id=None, thread=thread, body=text)
    thread.refresh_from_db()
    with django_assert_num_queries(3):
        view = thread_messages(customer(), thread=thread, user_id=None)
    assert [m.body for m in view.messages] == ["first", "second", "third"]
    assert view.messages[0].author_label == "Cecilia Customer"


def test_listing_threads_is_a_fixed_number_of_queries(room, users, django_assert_num_queries):
    rescue, company = official(RESCUE), customer()
    with django_assert_num_queries(4):  # threads, the official's role and its services, marks
        project_threads(rescue, project_id=41, user_id=users["r"].pk)
    with django_assert_num_queries(2):
        project_threads(company, project_id=41, user_id=users["c"].pk)
