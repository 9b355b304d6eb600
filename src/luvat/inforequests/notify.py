"""Who hears of an inforequest, decided in one place: the asked authorities' officials of a new
question, the company of each answer (through the notifications context, sent by the worker)."""

from __future__ import annotations

from django.urls import reverse
from django.utils import translation

from luvat.inforequests.models import Addressee, Inforequest
from luvat.notifications.models import NotificationKind
from luvat.notifications.recipients import Audience
from luvat.notifications.services import Notice

EXCERPT = 500


def inforequest_url(inforequest: Inforequest) -> str:
    """The inforequest's page without a language prefix (the reader's language is added)."""
    with translation.override("fi"):
        path = reverse("inforequests:detail", kwargs={"inforequest_id": inforequest.public_id})
    return path.removeprefix("/fi")


def asked_notices(inforequest: Inforequest) -> list[Notice]:
    """Each asked authority's officials hear of the new question (one notice per authority)."""
    project = inforequest.project
    excerpt = inforequest.question[:EXCERPT] + ("…" if len(inforequest.question) > EXCERPT else "")
    notices = []
    addressees = inforequest.addressees.select_related("authority").prefetch_related("services")
    for addressee in addressees.order_by("id"):
        authority = addressee.authority
        # The officials who may answer (policy.can_answer_inforequest): within their services;
        # a question naming no permit reaches only those not limited to some services.
        services = sorted(s.code for s in addressee.services.all()) or [""]
        notices.append(
            Notice(
                kind=NotificationKind.INFOREQUEST_ASKED,
                audience=Audience(authority_services=tuple((authority.code, s) for s in services)),
                params={
                    "subject": inforequest.subject,
                    "company": project.company_name or project.business_id,
                    "authority": lambda authority=authority: authority.name,
                    "project": project.name,
                    "reference": inforequest.reference,
                    "excerpt": excerpt,
                },
                url=inforequest_url(inforequest),
            )
        )
    return notices


def answered_notice(addressee: Addressee) -> Notice:
    """The company hears that an asked authority has answered."""
    inforequest = addressee.inforequest
    authority = addressee.authority
    return Notice(
        kind=NotificationKind.INFOREQUEST_ANSWERED,
        audience=Audience(business_ids=(inforequest.business_id,)),
        params={
            "subject": inforequest.subject,
            "authority": lambda: authority.name,
            "project": inforequest.project.name,
            "reference": inforequest.reference,
        },
        url=inforequest_url(inforequest),
    )
