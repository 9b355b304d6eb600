"""Demo project: Festivaali Oy's summer festival in Helsinki, with the event permits. Loaded
after the catalogue and the demo accounts; never changes a project a user has touched."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from luvat.audit.actors import Actor
from luvat.catalogue.models import Service, ServicePackage
from luvat.projects.models import Project, Provenance
from luvat.projects.services import project_create
from luvat.web.demo import DemoResult

DEMO_BUSINESS_ID = "3141593-8"  # Festivaali Oy in the identity stand-in register
DEMO_PROJECT_NAME = "Kesäfestivaali (demo)"
DEMO_SERVICES = (
    "public-event-notification",
    "event-rescue-plan",
    "noise-notification",
    "mobile-food-sales-notice",
)


def load_demo_project() -> DemoResult:
    if Project.objects.filter(business_id=DEMO_BUSINESS_ID, name=DEMO_PROJECT_NAME).exists():
        return DemoResult(created=0, existing=1)
    services = list(Service.objects.filter(code__in=DEMO_SERVICES).order_by("code"))
    if not services:  # no catalogue loaded: nothing to build the project from
        return DemoResult(created=0, existing=0)
    starts = timezone.localdate() + timedelta(days=45)
    project_create(
        actor=Actor.system("load-demo"),
        business_id=DEMO_BUSINESS_ID,
        name=DEMO_PROJECT_NAME,
        description="Kolmipäiväinen ulkoilmafestivaali Helsingissä.",
        package=ServicePackage.objects.filter(code="event").first(),
        services=services,
        shared_data={
            "site_municipality": "091",
            "start_date": starts.isoformat(),
            "end_date": (starts + timedelta(days=2)).isoformat(),
            "activity_name": "Kesäfestivaali",
            "site_address": "Kaisaniemen puisto, Helsinki",
            "expected_attendance": 3000,
            "contact_name": "Maija Meikäläinen",
            "contact_email": "maija@example.invalid",
        },
        shared_data_provenance=Provenance.CUSTOMER,
    )
    return DemoResult(created=1, existing=0)
