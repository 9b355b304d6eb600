"""The access log (use and disclosure log): append-only, searchable by the administrator, and
shown to the company whose data was read."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.utils import DatabaseError
from django.test import Client

from luvat.audit.actors import Actor, ActorKind
from luvat.audit.context import RequestContext, bind_request_context
from luvat.audit.models import AccessEvent, AppendOnlyError
from luvat.audit.selectors import access_events_for_company, access_events_search
from luvat.audit.services import access_record

pytestmark = pytest.mark.django_db
OFFICIAL = Actor(
    kind=ActorKind.OFFICIAL, ref="person:7", label="Olli Official", on_behalf_of="TUKES"
)


def test_record_carries_who_when_what_why_and_the_request():
    context = RequestContext(
        request_id="req-9", ip="192.0.2.5", x_road_client="FI/GOV/0245437-2/tukes"
    )
    with bind_request_context(context):
        event = access_record(
            actor=OFFICIAL,
            object_type="project",
            object_id=12,
            purpose="backoffice:project-detail",
            subject_business_id="3141593-8",
        )
    event.refresh_from_db()
    assert (event.actor_label, event.actor_organisation) == ("Olli Official", "TUKES")
    assert (event.object_type, event.object_id, event.purpose) == (
        "project",
        "12",
        "backoffice:project-detail",
    )
    assert (event.request_id, event.ip_address, event.x_road_client) == (
        "req-9",
        "192.0.2.5",
        "FI/GOV/0245437-2/tukes",
    )
    assert access_events_for_company("3141593-8") == [event]
    assert access_events_search(actor_ref="person:7") == [event]
    assert access_events_search(business_id="2718282-8") == []


def test_selectors_take_one_query(django_assert_num_queries):
    for n in range(5):
        access_record(
            actor=OFFICIAL,
            object_type="x",
            object_id=n,
            purpose="t",
            subject_business_id="3141593-8",
        )
    with django_assert_num_queries(1):
        assert len(access_events_for_company("3141593-8")) == 5


def test_orm_refuses_change_and_removal():
    event = access_record(actor=OFFICIAL, object_type="x", purpose="t")
    event.purpose = "tampered"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AccessEvent.objects.filter(pk=event.pk).update(purpose="tampered")
    with pytest.raises(AppendOnlyError):
        AccessEvent.objects.all().delete()


@pytest.mark.postgres
def test_postgres_refuses_raw_update_and_delete():
    event = access_record(actor=OFFICIAL, object_type="x", purpose="t")
    for sql in (
        "UPDATE audit_accessevent SET purpose = 'tampered' WHERE id = %s",
        "DELETE FROM audit_accessevent WHERE id = %s",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, [event.pk])


def test_administrator_searches_the_access_log_in_the_admin():
    access_record(
        actor=OFFICIAL,
        object_type="project",
        object_id=1,
        purpose="t",
        subject_business_id="3141593-8",
    )
    access_record(
        actor=OFFICIAL,
        object_type="project",
        object_id=2,
        purpose="t",
        subject_business_id="2718282-8",
    )
    admin = get_user_model().objects.create_superuser(
        "root", "r@example.invalid", "Correct-Horse-9"
    )
    client = Client()
    client.force_login(admin)
    page = client.get("/en/admin/audit/accessevent/?q=2718282-8").content.decode()
    assert "2718282-8" in page and "3141593-8" not in page
    assert client.get("/en/admin/audit/accessevent/add/").status_code == 403


def test_opening_a_person_in_the_admin_is_logged():
    from tests.identity.factories import PersonFactory

    person = PersonFactory.create()
    admin = get_user_model().objects.create_superuser(
        "root", "r@example.invalid", "Correct-Horse-9"
    )
    client = Client()
    client.force_login(admin)
    assert client.get(f"/en/admin/identity/person/{person.pk}/change/").status_code == 200
    event = AccessEvent.objects.get()
    assert (event.actor_kind, event.subject_person_ref) == ("administrator", f"person:{person.pk}")


def test_listing_people_in_the_admin_is_logged():
    admin = get_user_model().objects.create_superuser(
        "root", "r@example.invalid", "Correct-Horse-9"
    )
    client = Client()
    client.force_login(admin)
    assert client.get("/en/admin/identity/person/").status_code == 200
    assert AccessEvent.objects.get().purpose == "admin:identity.person.changelist"
