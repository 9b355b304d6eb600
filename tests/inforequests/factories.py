"""A planned festival project that has no applications yet, only its service package: the
company asks the rescue and the police authority before applying."""

from __future__ import annotations

from dataclasses import dataclass

from luvat.audit.actors import Actor
from luvat.catalogue.models import Authority, Service, ServicePackage
from luvat.inforequests.models import Inforequest
from luvat.inforequests.services import inforequest_ask
from luvat.projects.models import Project
from luvat.projects.services import project_create
from tests.backoffice.factories import POLICE, RESCUE, customer, event_catalogue, official
from tests.identity.factories import FESTIVAALI


@dataclass
class Planned:
    project: Project
    maija: Actor
    rescue: Actor
    police: Actor

    def asked(self) -> dict[Authority, list[Service]]:
        return {
            Authority.objects.get(code=RESCUE): [Service.objects.get(code="event-rescue-plan")],
            Authority.objects.get(code=POLICE): [
                Service.objects.get(code="public-event-notification")
            ],
        }

    def ask(self, **kwargs: object) -> Inforequest:
        values: dict[str, object] = {
            "project": self.project,
            "subject": "Lava puistossa",
            "question": "Tarvitaanko pelastussuunnitelma 800 hengen tapahtumaan?",
            "asked": self.asked(),
            "actor": self.maija,
            **kwargs,
        }
        return inforequest_ask(**values)  # type: ignore[arg-type]


def planned_festival(business_id: str = FESTIVAALI) -> Planned:
    if not Authority.objects.filter(code=RESCUE).exists():
        event_catalogue()
    package, _created = ServicePackage.objects.get_or_create(
        code="festival-test", defaults={"name_fi": "Festivaali"}
    )
    package.services.set(
        Service.objects.filter(code__in=["event-rescue-plan", "public-event-notification"])
    )
    maija = customer(business_id)
    project = project_create(
        actor=maija,
        business_id=business_id,
        company_name="Festivaali Oy",
        name="Puistofestivaali",
        package=package,
        shared_data={"site_municipality": "091"},
    )
    return Planned(
        project=project,
        maija=maija,
        rescue=official(RESCUE, "Riikka", "Pelastaja"),
        police=official(POLICE, "Pekka", "Poliisi"),
    )
