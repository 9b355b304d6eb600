"""Telling the company and the authority about a case (through the notifications context)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.urls import reverse
from django.utils import formats, translation

from luvat.backoffice.models import SupplementRequest
from luvat.notifications.models import NotificationKind
from luvat.notifications.recipients import Audience
from luvat.notifications.services import Notice, notification_publish, notifications_publish
from luvat.projects.models import Application
from luvat.projects.status import Outcome, Status


def customer_url(application: Application) -> str:
    with translation.override("fi"):
        path = reverse(
            "projects:application",
            kwargs={
                "project_id": application.project.public_id,
                "application_id": application.public_id,
            },
        )
    return path.removeprefix("/fi")


def official_url(application: Application) -> str:
    with translation.override("fi"):
        path = reverse("backoffice:application", kwargs={"application_id": application.public_id})
    return path.removeprefix("/fi")


def supplement_url(request: SupplementRequest) -> str:
    """Where the customer answers a supplement request (without a language prefix)."""
    with translation.override("fi"):
        path = reverse("backoffice:supplement", kwargs={"request_id": request.public_id})
    return path.removeprefix("/fi")


def _params(application: Application) -> dict[str, Any]:
    service = application.service
    authority = application.authority

    def service_name() -> str:
        return service.name

    def authority_name() -> str:
        return authority.name if authority else ""

    return {
        "application": service_name,
        "project": application.project.name,
        "authority": authority_name,
    }


def day(value: Any) -> Callable[[], str]:
    return lambda: formats.date_format(value, "SHORT_DATE_FORMAT")


def company_status_notice(application: Application, status: str) -> Notice:
    """The company hears that its application moved to ``status``."""
    return Notice(
        kind=NotificationKind.STATUS_CHANGED,
        audience=Audience(business_ids=(application.project.business_id,)),
        params={**_params(application), "status": Status(status).label},
        url=customer_url(application),
    )


def supplement_notice(application: Application, *, text: str, due_on: Any, url: str) -> Notice:
    """The company is asked for more information by ``due_on``."""
    return Notice(
        kind=NotificationKind.SUPPLEMENT_REQUESTED,
        audience=Audience(business_ids=(application.project.business_id,)),
        params={**_params(application), "text": text, "due_date": day(due_on)},
        url=url,
    )


def decision_notice(application: Application, outcome: str) -> Notice:
    """The company hears of the decision and its ``outcome``."""
    return Notice(
        kind=NotificationKind.DECISION_MADE,
        audience=Audience(business_ids=(application.project.business_id,)),
        params={**_params(application), "outcome": Outcome(outcome).label},
        url=customer_url(application),
    )


def notify_company_status(application: Application) -> None:
    notifications_publish([company_status_notice(application, application.status)])


def notify_supplement_requested(
    application: Application, *, text: str, due_on: Any, url: str
) -> None:
    notifications_publish([supplement_notice(application, text=text, due_on=due_on, url=url)])


def notify_decision(application: Application) -> None:
    notifications_publish([decision_notice(application, application.outcome)])


def notify_authority_status(
    application: Application, *, exclude_user_ids: tuple[int, ...] = ()
) -> None:
    authority = application.authority
    if authority is None:
        return
    notification_publish(
        kind=NotificationKind.STATUS_CHANGED,
        audience=Audience(authority_codes=(authority.code,), exclude_user_ids=exclude_user_ids),
        params={**_params(application), "status": Status(application.status).label},
        url=official_url(application),
    )
