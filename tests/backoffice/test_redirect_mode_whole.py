"""Redirect mode whole: the official records every main status of an application handled in
the authority's own e-service; the supplement request stops the clock (the expected decision
moves); the customer is e-mailed at each step (arriving at a local SMTP server)."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from luvat.backoffice.models import CaseFile, DueKind, SupplementRequest
from luvat.backoffice.services import (
    application_close,
    application_mark_received,
    application_start_processing,
    decision_record,
    supplement_received_record,
    supplement_request_create,
)
from luvat.catalogue.models import Service
from luvat.identity.models import Person
from luvat.identity.policy import Denied
from luvat.notifications.tasks import fan_out_batch, send_email_batch
from luvat.projects.errors import NotAllowedInMode
from luvat.projects.models import StatusEvent
from tests.backoffice.factories import POLICE, RESCUE, customer, event_project, official
from tests.mailserver import mail_server  # noqa: F401  (fixture)
from tests.notifications.factories import EmailAddressFactory

pytestmark = pytest.mark.django_db


def deliver():
    while fan_out_batch():
        pass
    send_email_batch()


def test_the_official_records_every_main_status_and_the_customer_hears_of_each(
    mail_server,  # noqa: F811
):
    with time_machine.travel("2027-03-01 09:00 +02:00", tick=False) as clock:
        Service.objects.filter(code="public-event-notification").update(processing_time_days=30)
        maija = customer()
        person = Person.objects.get(pk=int(maija.ref.split(":")[1]))
        EmailAddressFactory.create(user=person.user, address="maija@festivaali.example")
        case = event_project()
        notice = case.police_notice
        pekka = official(POLICE, "Pekka", "Poliisi")
        deliver()
        mail_server.arrived.clear()

        application_mark_received(application=notice, actor=pekka, case_reference="POL-2027-9")
        deliver()
        assert len(mail_server.to("maija@festivaali.example")) == 1
        application_start_processing(application=notice, actor=pekka)
        deliver()
        before = CaseFile.objects.get(application=notice)
        assert before.due_kind == DueKind.DECISION and before.case_reference == "POL-2027-9"

        clock.move_to("2027-03-03 09:00 +02:00")
        due = timezone.localdate() + timedelta(days=14)
        supplement_request_create(
            application=notice, actor=pekka, text="Liikennesuunnitelma puuttuu.", due_on=due
        )
        deliver()
        waiting = CaseFile.objects.get(application=notice)
        assert (waiting.due_kind, waiting.due_on) == (DueKind.SUPPLEMENT, due)

        clock.move_to("2027-03-10 09:00 +02:00")  # a week with the clock stopped
        supplement_received_record(application=notice, actor=pekka)
        deliver()
        request = SupplementRequest.objects.get(application=notice)
        assert request.answered_at is not None and request.answered_by_label == "Pekka Poliisi"
        after = CaseFile.objects.get(application=notice)
        assert after.due_kind == DueKind.DECISION
        assert after.due_on is not None and before.due_on is not None
        assert after.due_on >= before.due_on + timedelta(days=7)  # the expected decision moved

        decision_record(
            application=notice, actor=pekka, outcome="granted", decided_on=timezone.localdate()
        )
        deliver()
        application_close(application=notice, actor=pekka)
        deliver()

    statuses = list(
        StatusEvent.objects.filter(application=notice)
        .order_by("id")
        .values_list("status", flat=True)
    )
    assert statuses == [
        "draft",
        "submitted",
        "received",
        "in_processing",
        "supplement_requested",
        "in_processing",
        "decision_made",
        "closed",
    ]
    subjects = [m.subject.strip() for m in mail_server.to("maija@festivaali.example")]
    assert subjects == [
        "Yleisötilaisuusilmoitus: viranomainen vastaanottanut",
        "Yleisötilaisuusilmoitus: käsittelyssä",
        "Täydennyspyyntö: Yleisötilaisuusilmoitus",
        "Yleisötilaisuusilmoitus: käsittelyssä",
        "Päätös tehty: Yleisötilaisuusilmoitus",
        "Yleisötilaisuusilmoitus: päättynyt",
    ]


def test_a_light_mode_supplement_is_answered_by_the_customer_not_recorded_by_the_official():
    case = event_project()
    riikka = official(RESCUE, "Riikka", "Pelastaja")
    rescue = case.rescue_plan
    application_mark_received(application=rescue, actor=riikka, case_reference="PEL/1")
    application_start_processing(application=rescue, actor=riikka)
    supplement_request_create(
        application=rescue,
        actor=riikka,
        text="Kartta.",
        due_on=timezone.localdate() + timedelta(days=5),
    )
    with pytest.raises(NotAllowedInMode):
        supplement_received_record(application=rescue, actor=riikka)
    with pytest.raises(Denied):  # another authority's application
        supplement_received_record(application=case.police_notice, actor=riikka)
