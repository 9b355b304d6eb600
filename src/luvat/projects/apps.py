from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "luvat.projects"
    label = "projects"
    verbose_name = _("Projects")

    def ready(self) -> None:
        from luvat.projects.demo import load_demo_project
        from luvat.web.demo import register_demo_loader

        register_demo_loader("projects", load_demo_project, order=60)
