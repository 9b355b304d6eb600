"""Data retention: purge personal data that is no longer needed, archive closed projects.

One function per kind finds the rows past their retention period (``LUVAT_RETENTION_*_DAYS``,
0 keeps them); :func:`run_retention` reports them (``dry_run``) or purges / archives each kind
in its own transaction, and writes one ``retention.run`` audit row with the counts.

Submitted applications, their status history and decisions are public records (Archives Act
831/1994, Act on the Openness of Government Activities 621/1999): they are never deleted here.
A closed project is *archived*: an audit row ``retention.project_archived`` records that it is
kept, and its discussion goes by the discussion rule.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

import structlog
from django.conf import settings
from django.db import transaction
from django.db.models import Exists, Max, OuterRef, Q, QuerySet
from django.utils import timezone

from luvat.audit.actors import Actor
from luvat.audit.models import AccessEvent, AuditEvent
from luvat.audit.purge import purge_log_before
from luvat.audit.services import Audited, audit_record, audit_record_many
from luvat.discussion.models import Message, MessageAttachment
from luvat.notifications.models import Notification, NotificationEvent
from luvat.projects.models import Application, Attachment, Project, StatusEvent

log = structlog.get_logger(__name__)

KINDS = ("draft", "discussion", "notification", "access_log", "audit_log", "closed_project")
# Statuses after which nothing more happens to an application.
FINAL = ("decision_made", "closed", "cancelled", "withdrawn")
ARCHIVED_ACTION = "retention.project_archived"
EXAMPLES = 5


@dataclass
class KindReport:
    kind: str
    days: int
    cutoff: datetime | None
    verb: str  # "purge" or "archive"
    count: int = 0
    examples: list[str] = field(default_factory=list)


@dataclass
class RetentionReport:
    dry_run: bool
    kinds: list[KindReport]

    def counts(self) -> dict[str, int]:
        return {k.kind: k.count for k in self.kinds}


def _cutoff(kind: str, now: datetime) -> tuple[int, datetime | None]:
    days = int(settings.LUVAT_RETENTION_DAYS.get(kind, 0))
    return days, (now - timedelta(days=days) if days > 0 else None)


def _closed_projects(cutoff: datetime) -> QuerySet[Project]:
    """Projects with a submitted application, every application final, nothing changed since
    ``cutoff``."""
    open_app = Application.objects.filter(project=OuterRef("pk")).exclude(status__in=FINAL)
    submitted = Application.objects.filter(project=OuterRef("pk"), submitted_at__isnull=False)
    return (
        Project.objects.annotate(last_change=Max("applications__status_changed_at"))
        .filter(Exists(submitted), ~Exists(open_app), updated_at__lt=cutoff)
        .filter(last_change__lt=cutoff)
    )


def draft_projects(cutoff: datetime) -> QuerySet[Project]:
    """Projects no application of which was ever submitted, unchanged since ``cutoff``."""
    submitted = Application.objects.filter(project=OuterRef("pk"), submitted_at__isnull=False)
    return Project.objects.filter(~Exists(submitted), updated_at__lt=cutoff, created_at__lt=cutoff)


def draft_applications(cutoff: datetime) -> QuerySet[Application]:
    """Drafts never submitted in projects that are kept (the project has a submitted one)."""
    return Application.objects.filter(
        status__in=("draft", "cancelled"), submitted_at__isnull=True, created_at__lt=cutoff
    ).exclude(project__in=draft_projects(cutoff))


def old_messages(cutoff: datetime) -> QuerySet[Message]:
    return Message.objects.filter(
        thread__room__project__in=_closed_projects(cutoff), created_at__lt=cutoff
    )


def old_notifications(cutoff: datetime) -> QuerySet[Notification]:
    return Notification.objects.filter(created_at__lt=cutoff)


def projects_to_archive(cutoff: datetime) -> QuerySet[Project]:
    archived = AuditEvent.objects.filter(
        action=ARCHIVED_ACTION, target_type="projects.project"
    ).values("target_id")
    return _closed_projects(cutoff).exclude(
        id__in=[int(i) for i in archived.values_list("target_id", flat=True)]
    )


def _delete_files(paths: list[tuple[object, str]]) -> None:
    for storage, name in paths:
        try:
            storage.delete(name)  # type: ignore[attr-defined]
        except OSError:
            log.warning("retention.file_not_deleted", name=name)


def _purge_drafts(cutoff: datetime) -> int:
    projects = draft_projects(cutoff)
    apps = draft_applications(cutoff)
    files = [
        (a.file.storage, a.file.name)
        for a in Attachment.objects.filter(
            Q(application__project__in=projects) | Q(application__in=apps)
        )
    ]
    files += [
        (m.file.storage, m.file.name)
        for m in MessageAttachment.objects.filter(message__thread__room__project__in=projects)
    ]
    count = projects.count() + apps.count()
    doomed = Application.objects.filter(Q(project__in=projects) | Q(id__in=apps))
    # A never-submitted draft's status history (draft, perhaps cancelled) is the customer's
    # working data, not a public record; it goes with the draft. The append-only guard is
    # bypassed here only, with one raw DELETE (StatusEvent protects its application).
    history = StatusEvent.objects.filter(application__in=list(doomed.values_list("id", flat=True)))
    history._raw_delete(history.db)
    Application.objects.filter(id__in=list(apps.values_list("id", flat=True))).delete()
    Project.objects.filter(id__in=list(projects.values_list("id", flat=True))).delete()
    transaction.on_commit(lambda: _delete_files(files))
    return count


def _purge_messages(cutoff: datetime) -> int:
    messages = Message.objects.filter(
        id__in=list(old_messages(cutoff).values_list("id", flat=True))
    )
    files = [
        (m.file.storage, m.file.name)
        for m in MessageAttachment.objects.filter(message__in=messages)
    ]
    count = messages.count()
    messages.delete()
    transaction.on_commit(lambda: _delete_files(files))
    return count


def _purge_notifications(cutoff: datetime) -> int:
    count = old_notifications(cutoff).count()
    old_notifications(cutoff).delete()
    # Events whose every notification is gone and that were fanned out long ago.
    NotificationEvent.objects.filter(fanned_out_at__isnull=False, created_at__lt=cutoff).exclude(
        Exists(Notification.objects.filter(event=OuterRef("pk")))
    ).delete()
    return count


def _archive_projects(cutoff: datetime, actor: Actor) -> int:
    projects = list(projects_to_archive(cutoff))
    audit_record_many(
        actor=actor,
        entries=[
            Audited(
                ARCHIVED_ACTION,
                project,
                {
                    "reference": project.reference,
                    "kept": "submitted applications, status history and decisions",
                },
            )
            for project in projects
        ],
    )
    return len(projects)


def _find(kind: str, cutoff: datetime) -> tuple[int, list[str]]:
    if kind == "draft":
        projects = draft_projects(cutoff)
        apps = draft_applications(cutoff)
        examples = [f"project {p.reference}" for p in projects[:EXAMPLES]]
        examples += [f"application {a.reference}" for a in apps[: EXAMPLES - len(examples)]]
        return projects.count() + apps.count(), examples
    if kind == "discussion":
        rows = old_messages(cutoff)
        return rows.count(), [f"message {m.pk} of {m.created_at:%Y-%m-%d}" for m in rows[:EXAMPLES]]
    if kind == "notification":
        rows_n = old_notifications(cutoff)
        return rows_n.count(), [
            f"notification {n.pk} of {n.created_at:%Y-%m-%d}" for n in rows_n[:EXAMPLES]
        ]
    if kind in ("access_log", "audit_log"):
        model = AccessEvent if kind == "access_log" else AuditEvent
        rows_l = model.objects.filter(occurred_at__lt=cutoff).order_by("occurred_at")
        return rows_l.count(), [str(e) for e in rows_l[:EXAMPLES]]
    projects_a = projects_to_archive(cutoff)
    return projects_a.count(), [f"project {p.reference}" for p in projects_a[:EXAMPLES]]


def run_retention(*, actor: Actor, dry_run: bool, now: datetime | None = None) -> RetentionReport:
    """Report (``dry_run``) or apply every retention rule; one transaction per kind, then one
    ``retention.run`` audit row with the counts (a dry run changes nothing and writes none)."""
    now = now or timezone.now()
    reports: list[KindReport] = []
    for kind in KINDS:
        days, cutoff = _cutoff(kind, now)
        report = KindReport(kind, days, cutoff, "archive" if kind == "closed_project" else "purge")
        reports.append(report)
        if cutoff is None:
            continue
        report.count, report.examples = _find(kind, cutoff)
        if dry_run or not report.count:
            continue
        with transaction.atomic():
            if kind == "draft":
                report.count = _purge_drafts(cutoff)
            elif kind == "discussion":
                report.count = _purge_messages(cutoff)
            elif kind == "notification":
                report.count = _purge_notifications(cutoff)
            elif kind == "access_log":
                report.count = purge_log_before(AccessEvent, cutoff)
            elif kind == "audit_log":
                report.count = purge_log_before(AuditEvent, cutoff)
            else:
                report.count = _archive_projects(cutoff, actor)
    result = RetentionReport(dry_run=dry_run, kinds=reports)
    if not dry_run:
        with transaction.atomic():
            audit_record(
                actor=actor,
                action="retention.run",
                details={
                    "counts": result.counts(),
                    "days": {k.kind: k.days for k in reports},
                },
            )
    log.info("retention.run", dry_run=dry_run, **result.counts())
    return result


def retention_job() -> int:
    """The worker's periodic job (registered when ``LUVAT_RETENTION_ENABLED``)."""
    report = run_retention(actor=Actor.system("retention"), dry_run=False)
    return sum(report.counts().values())
