"""Who hears of a change of a case, decided in one place (through the notifications context).

Two listeners registered with projects: :func:`status_notices` (every status change, whoever
made it: the table :data:`AUDIENCES`) and :func:`fact_notices` (shared data changed, a customer
sent to the authority's own e-service). No service decides on its own who is told."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.urls import reverse
from django.utils import formats, translation

from luvat.backoffice.models import SupplementRequest
from luvat.catalogue.joining import meaning
from luvat.notifications.models import NotificationKind
from luvat.notifications.recipients import Audience
from luvat.notifications.services import Notice, notifications_publish
from luvat.projects.hooks import ProjectFact
from luvat.projects.models import Application, EventSource, StatusEvent
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


def letter_from(application: Application) -> str:
    """The authority whose letter this is, when Luvat delivers its letters (light mode)."""
    authority = application.authority
    if authority is None or not meaning(application.route).luvat_delivers_letters:
        return ""
    return str(authority.code)


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
        letter_from=letter_from(application),
    )


def decision_notice(application: Application, outcome: str) -> Notice:
    """The company hears of the decision and its ``outcome``."""
    return Notice(
        kind=NotificationKind.DECISION_MADE,
        audience=Audience(business_ids=(application.project.business_id,)),
        params={**_params(application), "outcome": Outcome(outcome).label},
        url=customer_url(application),
        letter_from=letter_from(application),
    )


# -- who hears of a change: one table -------------------------------------------------------------

COMPANY = "company"
AUTHORITY = "authority"
_AUTHORITY_SIDE = (EventSource.OFFICIAL, EventSource.AUTHORITY_SYSTEM)
_AUTHORITY_ACTS = (
    Status.RECEIVED,
    Status.IN_PROCESSING,
    Status.SUPPLEMENT_REQUESTED,
    Status.DECISION_MADE,
    Status.CLOSED,
)
# (the status an application moved to, who moved it) -> who hears of it. A change not in the
# table tells nobody (a draft dropped, a redirect-mode arrival recorded by the official).
AUDIENCES: dict[tuple[str, str], str] = {
    (Status.SUBMITTED, EventSource.CUSTOMER): AUTHORITY,  # a new application to handle
    (Status.WITHDRAWN, EventSource.CUSTOMER): AUTHORITY,
    (Status.IN_PROCESSING, EventSource.CUSTOMER): AUTHORITY,  # a supplement request answered
    **{(status, source): COMPANY for status in _AUTHORITY_ACTS for source in _AUTHORITY_SIDE},
}


def handlers_of(application: Application) -> Audience:
    """The officials of the application's authority who handle its service (the inbox's
    scope: an official limited to other services does not hear of it)."""
    authority = application.authority
    if authority is None:
        return Audience()
    return Audience(authority_services=((authority.code, application.service.code),))


def _authority_notice(application: Application, status: str) -> Notice | None:
    authority = application.authority
    if authority is None:
        return None
    audience = handlers_of(application)
    params = {**_params(application), "reference": application.reference}
    if status == Status.SUBMITTED:
        kind = NotificationKind.NEW_APPLICATION
    elif status == Status.WITHDRAWN:
        kind = NotificationKind.APPLICATION_WITHDRAWN
    else:
        kind = NotificationKind.STATUS_CHANGED
        params["status"] = Status(status).label
    return Notice(kind=kind, audience=audience, params=params, url=official_url(application))


def status_notices(changes: Sequence[tuple[Application, StatusEvent]]) -> None:
    """The status listener: tell whom :data:`AUDIENCES` names of each change, in one statement
    (and one query for the texts of supplement requests)."""
    heard = [
        (application, event, audience)
        for application, event in changes
        if (audience := AUDIENCES.get((event.status, event.source))) is not None
    ]
    if not heard:
        return
    asked = {
        application.pk
        for application, event, _audience in heard
        if event.status == Status.SUPPLEMENT_REQUESTED
    }
    requests = (
        {
            request.application_id: request
            for request in SupplementRequest.objects.filter(
                application_id__in=asked, answered_at__isnull=True
            )
        }
        if asked
        else {}
    )
    notices: list[Notice] = []
    for application, event, audience in heard:
        notice: Notice | None
        if audience == AUTHORITY:
            notice = _authority_notice(application, event.status)
        elif event.status == Status.DECISION_MADE:
            notice = decision_notice(application, event.outcome or application.outcome)
        elif event.status == Status.SUPPLEMENT_REQUESTED and application.pk in requests:
            request = requests[application.pk]
            notice = supplement_notice(
                application, text=request.text, due_on=request.due_on, url=supplement_url(request)
            )
        else:
            notice = company_status_notice(application, event.status)
        if notice is not None:
            notices.append(notice)
    if notices:
        notifications_publish(notices)


def fact_notices(facts: Sequence[ProjectFact]) -> None:
    """The project-fact listener: an application's authority hears of a change of shared data
    sent to it (to acknowledge), and an authority hears of a customer sent to its own
    e-service (the redirect-mode way an application comes to it)."""
    notices: list[Notice] = []
    for fact in facts:
        if fact.kind == "redirected" and fact.application is not None:
            application = fact.application
            authority = application.authority
            if authority is None:
                continue
            params = {**_params(application), "reference": application.reference}
            notices.append(
                Notice(
                    kind=NotificationKind.NEW_APPLICATION,
                    audience=handlers_of(application),
                    params=params,
                    url=official_url(application),
                )
            )
        elif fact.kind == "shared_data_changed" and fact.application is not None:
            # Sent to this application's authority as a change to acknowledge.
            application = fact.application
            if application.authority is None:
                continue
            notices.append(
                Notice(
                    kind=NotificationKind.SHARED_DATA_CHANGED,
                    audience=handlers_of(application),
                    params={
                        **_params(application),
                        "reference": application.reference,
                        "fields": ", ".join(fact.fields),
                    },
                    url=official_url(application),
                )
            )
    if notices:
        notifications_publish(notices)
