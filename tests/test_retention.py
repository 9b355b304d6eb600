"""Data retention on the demo data: ``luvat retention --dry-run`` lists, the real run purges
drafts, old notifications and log rows, archives closed projects and keeps public records."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from luvat.audit.models import AccessEvent, AuditEvent
from luvat.audit.purge import purge_log_before
from luvat.discussion.models import Message
from luvat.notifications.models import Notification
from luvat.notifications.tasks import fan_out_batch
from luvat.projects.models import Application, Project

pytestmark = pytest.mark.django_db

LONG_AGO = timedelta(days=3 * 365)


def _old_access_event(when):  # type: ignore[no-untyped-def]
    return AccessEvent.objects.create(
        occurred_at=when,
        actor_kind="official",
        actor_ref="o-1",
        object_type="projects.project",
        object_id="1",
        purpose="test:retention",
    )


@pytest.fixture
def aged_demo(capsys):  # type: ignore[no-untyped-def]
    """The demo data with everything made three years old."""
    call_command("load_demo")
    capsys.readouterr()
    while fan_out_batch():  # the demo's status changes become notifications
        pass
    old = timezone.now() - LONG_AGO
    Project.objects.update(created_at=old, updated_at=old)
    Application.objects.update(created_at=old, status_changed_at=old)
    Notification.objects.update(created_at=old)
    Message.objects.update(created_at=old)
    _old_access_event(old)
    _old_access_event(timezone.now())
    return old


def _state() -> dict[str, object]:
    return {
        "projects": sorted(Project.objects.values_list("reference", flat=True)),
        "applications": sorted(Application.objects.values_list("reference", flat=True)),
        "notifications": Notification.objects.count(),
        "messages": Message.objects.count(),
        "access": AccessEvent.objects.count(),
        "audit": AuditEvent.objects.count(),
    }


def test_demo_data_has_what_retention_acts_on(aged_demo):
    assert Application.objects.filter(submitted_at__isnull=True, status="draft").exists()
    assert Application.objects.filter(submitted_at__isnull=False).exists()
    assert Notification.objects.exists()


def test_dry_run_lists_and_changes_nothing(aged_demo, capsys):
    before = _state()
    call_command("retention", "--dry-run")
    out = capsys.readouterr().out
    assert _state() == before
    assert "draft: would purge" in out
    assert "notification: would purge" in out
    assert "access_log: would purge 1 " in out
    assert "audit_log: kept" in out
    assert "dry run: nothing changed" in out
    assert not AuditEvent.objects.filter(action="retention.run").exists()


def test_run_purges_drafts_and_notifications_and_keeps_public_records(aged_demo, capsys):
    submitted = set(
        Application.objects.filter(submitted_at__isnull=False).values_list("reference", flat=True)
    )
    decided = set(Application.objects.exclude(decided_at=None).values_list("reference", flat=True))
    drafts = set(
        Application.objects.filter(submitted_at__isnull=True, status="draft").values_list(
            "reference", flat=True
        )
    )
    assert submitted and drafts

    call_command("retention")
    out = capsys.readouterr().out

    remaining = set(Application.objects.values_list("reference", flat=True))
    assert submitted <= remaining
    assert decided <= remaining
    assert not drafts & remaining
    assert not Notification.objects.exists()
    assert AccessEvent.objects.count() == 1  # the recent one
    run = AuditEvent.objects.get(action="retention.run")
    counts = run.details["counts"]
    assert counts["draft"] >= 1
    assert counts["notification"] >= 1
    assert counts["access_log"] == 1
    assert counts["audit_log"] == 0
    assert "recorded in the audit log as retention.run" in out

    # A second run finds nothing more to purge and archives no project twice.
    archived = AuditEvent.objects.filter(action="retention.project_archived").count()
    call_command("retention")
    second = AuditEvent.objects.filter(action="retention.run").order_by("-id").first()
    assert second is not None
    assert second.details["counts"]["draft"] == 0
    assert second.details["counts"]["closed_project"] == 0
    assert AuditEvent.objects.filter(action="retention.project_archived").count() == archived


def test_zero_days_keeps_everything(aged_demo, settings, capsys):
    settings.LUVAT_RETENTION_DAYS = dict.fromkeys(settings.LUVAT_RETENTION_DAYS, 0)
    before = _state()
    call_command("retention")
    after = _state()
    # The retention.run row only.
    assert AuditEvent.objects.exclude(action="retention.run").count() == before["audit"]
    assert {k: v for k, v in after.items() if k != "audit"} == {
        k: v for k, v in before.items() if k != "audit"
    }


@pytest.mark.django_db(transaction=True)
def test_purge_refuses_outside_a_transaction():
    with pytest.raises(RuntimeError, match="inside a transaction"):
        purge_log_before(AccessEvent, timezone.now())


def test_job_is_registered_only_when_enabled():
    from luvat.integrations.worker import _registry

    job = _registry.get("retention.run")
    from django.conf import settings

    assert (job is not None) == settings.LUVAT_RETENTION_ENABLED


@pytest.mark.postgres
def test_postgres_trigger_lets_the_retention_purge_through_but_not_a_plain_delete():
    old = _old_access_event(timezone.now() - LONG_AGO)
    new = _old_access_event(timezone.now())
    for sql in (
        "DELETE FROM audit_accessevent WHERE id = %s",
        "UPDATE audit_accessevent SET purpose = 'x' WHERE id = %s",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, [old.pk])
    # With the cut-off set, a row newer than it is still refused.
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(
            "SELECT set_config('luvat.purge_before', %s, true)",
            [(timezone.now() - timedelta(days=1)).isoformat()],
        )
        cursor.execute("DELETE FROM audit_accessevent WHERE id = %s", [new.pk])
    with transaction.atomic():
        assert purge_log_before(AccessEvent, timezone.now() - timedelta(days=1)) == 1
    assert list(AccessEvent.objects.values_list("pk", flat=True)) == [new.pk]
    # The setting was local to that transaction: a plain DELETE fails again.
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM audit_accessevent WHERE id = %s", [new.pk])
    assert AccessEvent.objects.filter(pk=new.pk).exists()
