"""What the customer must do next with an application, in one short sentence."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from luvat.catalogue.joining import meaning
from luvat.catalogue.models import AuthorityResolution
from luvat.projects.deadlines import ApplicationDeadlines, DeadlineWarning
from luvat.projects.models import Application
from luvat.projects.status import Status


@dataclass(frozen=True)
class NextAction:
    code: str
    text: Promise | str
    customer_must_act: bool


ACTIONS: dict[str, tuple[Promise, bool]] = {
    "fill_in": (_("Fill in and submit the application."), True),
    "fill_in_late": (_("The submission window has closed: contact the authority."), True),
    "keep_yourself": (
        _("Prepare this document and keep it at hand; it is not sent to an authority."),
        True,
    ),
    "continue_elsewhere": (_("Continue at the authority's e-service."), True),
    "wait_redirected": (
        _("Finish the application in the authority's e-service; the status follows here."),
        False,
    ),
    "wait": (_("Nothing to do: the authority is handling the application."), False),
    "supplement": (_("Send the supplement the authority asked for."), True),
    "read_decision": (_("Read the decision."), False),
    "none": (_("Nothing to do."), False),
}


def next_action(application: Application, deadlines: ApplicationDeadlines) -> NextAction:
    status = application.status
    if status == Status.DRAFT:
        if application.service.authority_resolution == AuthorityResolution.NONE:
            code = "keep_yourself"
        elif not meaning(application.route).submitted_here:
            code = "wait_redirected" if application.redirected_at else "continue_elsewhere"
        elif deadlines.warning == DeadlineWarning.CLOSED:
            code = "fill_in_late"
        else:
            code = "fill_in"
    elif status == Status.SUPPLEMENT_REQUESTED:
        code = "supplement"
    elif status in {Status.SUBMITTED, Status.RECEIVED, Status.IN_PROCESSING}:
        code = "wait"
    elif status == Status.DECISION_MADE:
        code = "read_decision"
    else:
        code = "none"
    text, must = ACTIONS[code]
    return NextAction(code=code, text=text, customer_must_act=must)
