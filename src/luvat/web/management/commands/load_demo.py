"""``luvat load-demo``: load the demo data. Idempotent: what exists is left as it is."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from luvat.web.demo import demo_loaders, demo_logins


class Command(BaseCommand):
    help = "Load the demo data (never in production). Running it again keeps users' changes."

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.LUVAT_DEMO:
            raise CommandError("demo data is turned off (LUVAT_DEMO=false); nothing loaded")
        for name, loader in demo_loaders():
            with transaction.atomic():
                result = loader()
            self.stdout.write(
                f"demo {name}: {result.created} created, {result.existing} already there"
            )
        for login in demo_logins():
            self.stdout.write(f"  log in as {login.role}: {login.username} ({login.how})")
