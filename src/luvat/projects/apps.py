from collections.abc import Callable

from django.apps import AppConfig
from django.db.models import Model
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "luvat.projects"
    label = "projects"
    verbose_name = _("Projects")

    def ready(self) -> None:
        from luvat.projects.demo import load_demo_project
        from luvat.web.demo import register_demo_loader

        register_demo_loader("projects", load_demo_project, order=60)

        from luvat.projects.evidence import connect_backstop

        connect_backstop()

        from luvat.identity.door import register_target
        from luvat.projects.models import Application, Project, Submission

        # Whose object a URL names, for refusals at the door (the company sees them).
        register_target("project_id", "project", _business_id_of(Project, "business_id"))
        register_target(
            "application_id", "application", _business_id_of(Application, "project__business_id")
        )
        register_target(
            "submission_id", "submission", _business_id_of(Submission, "project__business_id")
        )


def _business_id_of(model: type[Model], path: str) -> Callable[[str], str | None]:
    def business_id_of(public_id: str) -> str | None:
        found = model._default_manager.filter(public_id=public_id).values_list(path, flat=True)
        return found.first()  # type: ignore[no-any-return]

    return business_id_of
