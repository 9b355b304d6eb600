"""Worker job: tell a company once when an application's submission window closes soon."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import formats, timezone, translation

from luvat.backoffice.models import SubmissionWindowReminder
from luvat.catalogue.joining import modes_where
from luvat.catalogue.models import LeadTimeUnit
from luvat.notifications.models import NotificationKind
from luvat.notifications.recipients import Audience
from luvat.notifications.services import notification_publish
from luvat.projects.deadlines import CLOSING_SOON_DAYS, latest_submission_date
from luvat.projects.models import Application, goes_by
from luvat.projects.status import Status

BATCH = 500


def _candidates(today: date) -> list[Application]:
    """Drafts whose project starts within the longest lead time plus the warning period
    (a coarse filter per lead time; the exact date is computed with the deadline rules)."""
    # Drafts filled in elsewhere: the customer was sent to the authority's own e-service.
    elsewhere = Q()
    for mode in sorted(modes_where(submitted_here=False)):
        elsewhere |= goes_by(mode)
    drafts = (
        Application.objects.filter(
            status=Status.DRAFT,
            project__starts_on__gte=today,
            service__lead_time_days__isnull=False,
        )
        .exclude(elsewhere, redirected_at__isnull=False)
        .select_related("project", "service")
    )
    leads = drafts.values_list("service__lead_time_days", "service__lead_time_unit").distinct()
    found: list[Application] = []
    for lead, unit in sorted({(lead, unit) for lead, unit in leads if lead is not None}):
        calendar_days = lead * 7 // 5 + 14 if unit == LeadTimeUnit.WORKING_DAYS else lead + 4
        horizon = today + timedelta(days=calendar_days + CLOSING_SOON_DAYS)
        found += list(
            drafts.filter(
                service__lead_time_days=lead,
                service__lead_time_unit=unit,
                project__starts_on__lte=horizon,
            ).order_by("id")[:BATCH]
        )
    return found


def remind_submission_windows(today: date | None = None) -> int:
    """Notify each company once per application and last day to submit (re-armed when the
    project's schedule moves the date)."""
    today = today or timezone.localdate()
    due: dict[int, tuple[Application, date]] = {}
    for application in _candidates(today):
        service = application.service
        latest = latest_submission_date(
            starts_on=application.project.starts_on,
            lead_days=service.lead_time_days,
            working_days=service.lead_time_unit == LeadTimeUnit.WORKING_DAYS,
        )
        if latest is not None and today <= latest <= today + timedelta(days=CLOSING_SOON_DAYS):
            due[application.pk] = (application, latest)
    sent = defaultdict(set)
    for application_id, latest in SubmissionWindowReminder.objects.filter(
        application_id__in=list(due)
    ).values_list("application_id", "latest_submission"):
        sent[application_id].add(latest)
    count = 0
    for application, latest in due.values():
        if latest in sent[application.pk]:
            continue
        with transaction.atomic():
            _, created = SubmissionWindowReminder.objects.get_or_create(
                application=application, latest_submission=latest
            )
            if created:
                _publish(application, latest)
                count += 1
    return count


def _publish(application: Application, latest: date) -> None:
    service = application.service
    with translation.override("fi"):
        url = reverse(
            "projects:application",
            kwargs={
                "project_id": application.project.public_id,
                "application_id": application.public_id,
            },
        ).removeprefix("/fi")
    notification_publish(
        kind=NotificationKind.SUBMISSION_WINDOW_CLOSING,
        audience=Audience(business_ids=(application.project.business_id,)),
        params={
            "application": lambda: service.name,
            "project": application.project.name,
            "date": lambda: formats.date_format(latest, "SHORT_DATE_FORMAT"),
        },
        url=url,
    )
