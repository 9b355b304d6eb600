"""The main pages of each role with frozen data, shared by the visual and language checks."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import factory.base
import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from luvat.assessment.services import assessment_create
from luvat.audit.actors import Actor
from luvat.catalogue.models import ServicePackage
from luvat.identity.models import Person
from luvat.projects.models import Project
from tests.assessment.answers import valid_answers
from tests.backoffice.factories import RESCUE, event_project
from tests.browser.visual import FROZEN_NOW, fixed_references
from tests.identity.factories import (
    FESTIVAALI,
    LocalMandateFactory,
    OfficialRoleFactory,
    PersonFactory,
)
from tests.identity.helpers import act_as_administrator, act_as_official, act_for_company


@pytest.fixture
def frozen(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The clock stands still and the random references are fixed, for the data and the pages."""
    references = fixed_references()
    field = Project._meta.get_field("reference")
    # Django caches the field's default callable (_get_default) once a project was made.
    monkeypatch.setattr(field, "_get_default", lambda: next(references), raising=False)
    with time_machine.travel(FROZEN_NOW, tick=False):
        yield


@dataclass
class Site:
    """The pages to look at and the sessions that see them."""

    pages: list[tuple[str, str, str | None]]  # (name, path under /fi/, session cookie or None)

    def in_language(self, language: str) -> list[tuple[str, str, str | None]]:
        return [(name, f"/{language}/{path[4:]}", session) for name, path, session in self.pages]


def reset_factory_sequences() -> None:
    """Factory names (``Given3``) start from the same number whatever ran before in the worker."""

    def subclasses(cls: Any) -> list[Any]:
        return [cls, *(sub for direct in cls.__subclasses__() for sub in subclasses(direct))]

    for cls in subclasses(factory.base.Factory):
        with contextlib.suppress(ValueError):  # a subclass sharing its parent's sequence
            cls.reset_sequence()


def session_of(login: Callable[[Client], None]) -> str:
    client = Client()
    login(client)
    return client.cookies["sessionid"].value


def person(**names: str) -> Person:
    return PersonFactory.create(**names)


@pytest.fixture
def site(frozen: None) -> Site:
    from luvat.catalogue.services import catalogue_load

    reset_factory_sequences()
    submitted = event_project()
    draft = event_project(submit=False)
    # The assessment needs the real catalogue's questionnaire; the projects above keep the
    # test catalogue's services.
    catalogue_load(actor=Actor.system("test"))
    assessment = assessment_create(
        package=ServicePackage.objects.get(code="event"),
        answers=valid_answers("event", (timezone.localdate() + timedelta(days=60)).isoformat()),
        language="fi",
        actor=Actor.anonymous(),
    )
    customer_person = LocalMandateFactory.create(
        business_id=FESTIVAALI,
        person=person(given_name="Maija", family_name="Meikäläinen", demo_key="maija"),
    ).person
    customer = session_of(lambda client: act_for_company(client, customer_person, FESTIVAALI))
    official_person = OfficialRoleFactory.create(
        authority_code=RESCUE,
        person=person(given_name="Olli", family_name="Virkailija", demo_key="olli"),
    ).person
    official = session_of(lambda client: act_as_official(client, official_person, RESCUE))
    administrator = session_of(
        lambda client: act_as_administrator(
            client,
            PersonFactory.create(
                administrator=True, given_name="Aino", family_name="Ylläpitäjä", demo_key="aino"
            ),
        )
    )
    rescue = submitted.rescue_plan
    receipt = rescue.submissions.order_by("arrived_at").first()
    assert receipt is not None
    project = submitted.project
    return Site(
        pages=[
            ("front-page", "/fi/", None),
            ("assessment-question", "/fi/assessment/event/", None),
            ("assessment-result", f"/fi/assessment/results/{assessment.public_id}/", None),
            ("project-summary", f"/fi/projects/{project.public_id}/", customer),
            (
                "application-form",
                f"/fi/projects/{draft.project.public_id}/applications/"
                f"{draft.rescue_plan.public_id}/",
                customer,
            ),
            (
                "receipt",
                f"/fi/projects/{project.public_id}/receipts/{receipt.public_id}/",
                customer,
            ),
            ("inbox", "/fi/backoffice/", official),
            ("official-application", f"/fi/backoffice/applications/{rescue.public_id}/", official),
            ("onboarding-board", "/fi/onboarding/board/", administrator),
        ]
    )
