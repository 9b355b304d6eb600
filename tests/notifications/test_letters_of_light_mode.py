"""A light-mode authority's decisions and supplement requests are its letters to the company;
they reach the company's Suomi.fi mailbox when the authority has the channel on (stand-in)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from luvat.backoffice.services import (
    application_mark_received,
    application_start_processing,
    decision_record,
    supplement_request_create,
)
from luvat.notifications.letters import local
from luvat.notifications.letters.sending import send_letters_batch
from luvat.notifications.models import (
    EmailState,
    Letter,
    LetterState,
    MessagesChannel,
    Notification,
    NotificationEvent,
    NotificationKind,
)
from luvat.notifications.tasks import fan_out_batch
from tests.backoffice.factories import POLICE, RESCUE, customer, event_project, official
from tests.identity.factories import FESTIVAALI
from tests.notifications.factories import EmailAddressFactory

pytestmark = pytest.mark.django_db


def letters():
    return {
        kind: letter
        for kind, letter in NotificationEvent.objects.filter(
            kind__in=[NotificationKind.DECISION_MADE, NotificationKind.SUPPLEMENT_REQUESTED]
        ).values_list("kind", "letter")
    }


def test_light_mode_letters_go_to_the_mailbox_redirect_mode_ones_do_not(settings):
    settings.LUVAT_SUOMIFI_MESSAGES_BACKEND = "local"
    settings.LUVAT_SUOMIFI_MESSAGES_LOCAL_MAILBOXES = [FESTIVAALI]
    local.SENT.clear()
    MessagesChannel.objects.create(authority_code=RESCUE, service_id="HKI-RESCUE-LUVAT")
    maija = customer()
    EmailAddressFactory.create(user_id=_user_of(maija), address="m@f.example")
    case = event_project()
    riikka = official(RESCUE, "Riikka", "Pelastaja")
    rescue = case.rescue_plan
    application_mark_received(application=rescue, actor=riikka, case_reference="PEL/1/2026")
    application_start_processing(application=rescue, actor=riikka)
    supplement_request_create(
        application=rescue,
        actor=riikka,
        text="Lisää poistumisreitit.",
        due_on=timezone.localdate() + timedelta(days=10),
    )
    expected = {"authority_code": RESCUE, "business_id": FESTIVAALI}
    assert letters() == {NotificationKind.SUPPLEMENT_REQUESTED: expected}

    police = case.police_notice
    pekka = official(POLICE, "Pekka", "Poliisi")
    application_mark_received(application=police, actor=pekka, case_reference="POL-9")
    decision_record(
        application=police, actor=pekka, outcome="granted", decided_on=timezone.localdate()
    )
    assert letters()[NotificationKind.DECISION_MADE] == {}  # redirect: its own e-service

    while fan_out_batch():
        pass
    assert send_letters_batch() == 1
    (sent,) = local.SENT
    assert (sent.recipient_id, sent.service_id) == (FESTIVAALI, "HKI-RESCUE-LUVAT")
    assert "Lisää poistumisreitit." in sent.body
    assert Letter.objects.get().state == LetterState.SENT
    supplement = Notification.objects.get(kind=NotificationKind.SUPPLEMENT_REQUESTED)
    assert supplement.email_state == EmailState.VIA_MESSAGES
    decision = Notification.objects.get(kind=NotificationKind.DECISION_MADE)
    assert decision.email_state == EmailState.PENDING


def _user_of(actor):
    from luvat.identity.models import Person

    return Person.objects.get(pk=int(actor.ref.split(":")[1])).user_id
