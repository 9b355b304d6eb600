import pytest
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.utils import DatabaseError

from luvat.audit.actors import Actor, ActorKind
from luvat.audit.context import RequestContext, bind_request_context
from luvat.audit.models import AppendOnlyError, AuditEvent
from luvat.audit.selectors import audit_events_for
from luvat.audit.services import audit_record

pytestmark = pytest.mark.django_db

OFFICIAL = Actor(
    kind=ActorKind.OFFICIAL, ref="user:7", label="Olli Official", on_behalf_of="HKI-POL"
)


def test_record_with_model_target_and_request_context():
    user = get_user_model().objects.create(username="target")
    with bind_request_context(RequestContext(request_id="req-1", ip="192.0.2.4")):
        event = audit_record(actor=OFFICIAL, action="user.view", target=user, details={"why": "x"})
    event.refresh_from_db()
    assert (event.actor_kind, event.actor_ref, event.on_behalf_of) == (
        "official",
        "user:7",
        "HKI-POL",
    )
    assert (event.target_type, event.target_id) == ("auth.user", str(user.pk))
    assert (event.request_id, event.ip_address) == ("req-1", "192.0.2.4")
    assert event.details == {"why": "x"}
    assert list(audit_events_for(user)) == [event]


def test_record_with_pair_target_and_no_target():
    audit_record(actor=Actor.system("worker"), action="outbox.deliver", target=("message", "m-1"))
    audit_record(actor=Actor.anonymous(), action="login.failed")
    assert audit_events_for(("message", "m-1")).count() == 1
    assert AuditEvent.objects.filter(action="login.failed", target_type="").count() == 1


def test_orm_refuses_change_and_removal():
    event = audit_record(actor=OFFICIAL, action="x.y")
    event.action = "tampered"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(action="tampered")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.bulk_update([event], ["action"])
    assert AuditEvent.objects.get(pk=event.pk).action == "x.y"


@pytest.mark.postgres
def test_postgres_refuses_raw_update_and_delete():
    event = audit_record(actor=OFFICIAL, action="x.y")
    for sql in (
        "UPDATE audit_auditevent SET action = 'tampered' WHERE id = %s",
        "DELETE FROM audit_auditevent WHERE id = %s",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).action == "x.y"


@pytest.mark.postgres
@pytest.mark.parametrize("table", ["audit_auditevent", "audit_accessevent"])
def test_postgres_refuses_truncate_of_the_append_only_tables(table):
    from luvat.audit.services import access_record

    audit_record(actor=OFFICIAL, action="x.y")
    access_record(actor=OFFICIAL, object_type="x", object_id=1, purpose="test")
    with connection.cursor() as cursor:
        # The test framework's own permission to empty tables (tests/conftest.py), revoked.
        cursor.execute("SET luvat.allow_truncate = 'off'")
    try:
        for sql in (f"TRUNCATE {table}", f"TRUNCATE {table} CASCADE"):
            with (
                pytest.raises(DatabaseError, match="append-only: TRUNCATE refused"),
                transaction.atomic(),
                connection.cursor() as cursor,
            ):
                cursor.execute(sql)
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET luvat.allow_truncate = 'on'")
    assert AuditEvent.objects.exists()
