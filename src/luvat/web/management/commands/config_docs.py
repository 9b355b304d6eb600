"""``luvat config-docs``: print or write docs/configuration.md from the declared variables."""

from __future__ import annotations

from luvat.config.env import render_markdown
from luvat.web.management.base import GeneratedDocumentCommand


class Command(GeneratedDocumentCommand):
    help = "Print docs/configuration.md, or write it with --write PATH."

    def render(self) -> str:
        return render_markdown()
