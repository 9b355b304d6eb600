"""``luvat i18n``: update every app's fi/sv message catalogues and compile them (needs gettext)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from django.apps import apps
from django.core.management import call_command
from django.core.management.base import BaseCommand

LANGUAGES = ["fi", "sv"]


class Command(BaseCommand):
    help = "Extract translatable strings of each luvat app into <app>/locale and compile them."
    requires_system_checks: list[str] = []

    def handle(self, *args: Any, **options: Any) -> None:
        start = Path.cwd()
        for config in apps.get_app_configs():
            if not config.name.startswith("luvat."):
                continue
            app_dir = Path(config.path)
            (app_dir / "locale").mkdir(exist_ok=True)
            os.chdir(app_dir)
            try:
                call_command(
                    "makemessages",
                    locale=LANGUAGES,
                    no_obsolete=True,
                    add_location="file",
                    verbosity=0,
                )
                call_command(
                    "makemessages",
                    locale=LANGUAGES,
                    domain="djangojs",
                    no_obsolete=True,
                    add_location="file",
                    verbosity=0,
                )
                call_command("compilemessages", verbosity=0)
            finally:
                os.chdir(start)
            self.stdout.write(f"{config.label}: catalogues updated")
