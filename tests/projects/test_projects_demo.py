"""The projects demo loader: builds Festivaali Oy's festival once, never touches it again."""

from __future__ import annotations

from luvat.audit.actors import Actor, ActorKind
from luvat.projects.demo import (
    DEMO_BUSINESS_ID,
    DEMO_PROJECT_NAME,
    DEMO_SERVICES,
    load_demo_project,
)
from luvat.projects.models import Project
from luvat.projects.services import application_drop, shared_data_set

MAIJA = Actor(kind=ActorKind.CUSTOMER, ref="person:0", label="Maija", on_behalf_of=DEMO_BUSINESS_ID)


def test_without_a_catalogue_there_is_nothing_to_build(db):
    result = load_demo_project()
    assert (result.created, result.existing) == (0, 0)
    assert not Project.objects.exists()


def test_the_demo_project_is_built_once_and_user_changes_survive(catalogue):
    first = load_demo_project()
    assert (first.created, first.existing) == (1, 0)
    project = Project.objects.get(business_id=DEMO_BUSINESS_ID, name=DEMO_PROJECT_NAME)
    assert sorted(project.applications.values_list("service__code", flat=True)) == sorted(
        DEMO_SERVICES
    )
    assert project.municipality_code == "091"
    assert project.applications.filter(authority__isnull=True).count() == 0

    shared_data_set(project=project, values={"expected_attendance": "4500"}, actor=MAIJA)
    application_drop(application=project.applications.order_by("id")[0], actor=MAIJA)
    version = Project.objects.get(pk=project.pk).version

    again = load_demo_project()
    assert (again.created, again.existing) == (0, 1)
    assert Project.objects.count() == 1
    project.refresh_from_db()
    assert project.version == version
    assert project.shared_values.get(field__code="expected_attendance").value == 4500
    assert project.applications.filter(status="cancelled").count() == 1
