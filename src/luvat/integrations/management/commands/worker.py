"""``luvat worker``: the standalone background worker."""

from __future__ import annotations

import signal
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from luvat.integrations.worker import Worker, registered_jobs


class Command(BaseCommand):
    help = "Run the background worker until stopped (SIGINT/SIGTERM), or one round with --once."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="run every due job once and exit")

    def handle(self, *args: Any, **options: Any) -> None:
        worker = Worker(
            poll_seconds=settings.LUVAT_WORKER_POLL_SECONDS, listen=settings.LUVAT_WORKER_LISTEN
        )
        if options["once"]:
            worker.heartbeat(starting=True)
            ran = worker.run_due_jobs()
            self.stdout.write(f"worker: ran {ran} job(s): {', '.join(registered_jobs()) or '-'}")
            return

        def stop(signum: int, frame: Any) -> None:
            worker.stop()

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        self.stdout.write(
            f"worker {worker.worker_id} running jobs: {', '.join(registered_jobs()) or '-'}; "
            "stop with Ctrl+C"
        )
        self.stdout.flush()
        worker.run()
