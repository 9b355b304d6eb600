"""``luvat outbox``: what waits for delivery, and redelivery of messages."""

from __future__ import annotations

import uuid
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from luvat.audit.actors import Actor
from luvat.integrations.models import OutboxMessage
from luvat.integrations.outbox_admin import outbox_redeliver
from luvat.integrations.selectors import dead_letters, outbox_summary


class Command(BaseCommand):
    help = "Outbox: `luvat outbox status`, `luvat outbox dead`, `luvat outbox redeliver ID...`"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["status", "dead", "redeliver"])
        parser.add_argument("ids", nargs="*", help="message ids (UUID) or row numbers")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "status":
            for row in outbox_summary():
                self.stdout.write(
                    f"{row['authority_code'] or '-':30} {row['status']:10} {row['count']:8} "
                    f"oldest {row['oldest']:%Y-%m-%d %H:%M}"
                )
        elif action == "dead":
            for message in dead_letters()[:200]:
                self.stdout.write(
                    f"{message.message_id} {message.kind:24} {message.authority_code:20} "
                    f"{message.application_reference:20} {message.last_error[:80]}"
                )
        else:
            if not options["ids"]:
                raise CommandError("name the messages to redeliver: luvat outbox redeliver ID...")
            actor = Actor.system("cli")
            for ident in options["ids"]:
                message = self.find(ident)
                outbox_redeliver(message=message, actor=actor)
                self.stdout.write(f"queued again: {message.message_id}")

    def find(self, ident: str) -> OutboxMessage:
        try:
            if ident.isdigit():
                return OutboxMessage.objects.get(pk=int(ident))
            return OutboxMessage.objects.get(message_id=uuid.UUID(ident))
        except (ValueError, OutboxMessage.DoesNotExist):
            raise CommandError(f"no outbox message {ident!r}") from None
