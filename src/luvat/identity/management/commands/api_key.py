"""``luvat api-key``: API credentials of authority systems from the command line.

    luvat api-key issue --authority TUKES --client "Tukes case system" [--grace-days 7]
    luvat api-key revoke <key id>
    luvat api-key list [--authority TUKES]

``issue`` creates the client when it does not exist yet, rotates its keys (older keys stay
valid for the grace period) and prints the new token once.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from luvat.audit.actors import Actor
from luvat.identity.models import ApiClient, ApiKey
from luvat.identity.services import api_key_issue, api_key_revoke


class Command(BaseCommand):
    help = "Issue, revoke and list API keys of authority systems."

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="action", required=True)
        issue = commands.add_parser("issue", help="issue a new key (rotation)")
        issue.add_argument("--authority", required=True, help="authority code, e.g. TUKES")
        issue.add_argument("--client", required=True, help="name of the authority's system")
        issue.add_argument("--grace-days", type=int, default=7, help="older keys stay valid")
        revoke = commands.add_parser("revoke", help="revoke a key at once")
        revoke.add_argument("key_id")
        listing = commands.add_parser("list", help="list keys (never their secrets)")
        listing.add_argument("--authority", default="")

    def handle(self, *args: Any, **options: Any) -> None:
        actor = Actor.system("luvat api-key")
        if options["action"] == "issue":
            client, _ = ApiClient.objects.get_or_create(
                name=options["client"], authority_code=options["authority"].strip().upper()
            )
            if not client.is_active:
                raise CommandError(f"the client {client} is deactivated")
            issued = api_key_issue(
                client=client,
                actor=actor,
                old_keys_valid_for=timedelta(days=max(options["grace_days"], 0)),
            )
            self.stdout.write(f"new key {issued.key.key_id} for {client}; shown only now:")
            self.stdout.write(issued.token)
        elif options["action"] == "revoke":
            key = ApiKey.objects.filter(key_id=options["key_id"]).first()
            if key is None:
                raise CommandError(f"no API key {options['key_id']!r}")
            api_key_revoke(key=key, actor=actor)
            self.stdout.write(f"revoked {key.key_id}")
        else:
            keys = ApiKey.objects.select_related("client").order_by("client__authority_code")
            if options["authority"]:
                keys = keys.filter(client__authority_code=options["authority"].upper())
            for key in keys:
                state = "usable" if key.is_usable() and key.client.is_active else "not usable"
                expires = f"{key.expires_at:%Y-%m-%d %H:%M}" if key.expires_at else "-"
                self.stdout.write(
                    f"{key.key_id}\t{key.client.authority_code}\t{key.client.name}\t"
                    f"expires {expires}\t{state}"
                )
