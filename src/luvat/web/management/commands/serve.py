"""``luvat serve``: the WSGI server with the background worker in-process.

Plain ``luvat serve`` is waitress in this process (the embedded default, and the in-process
worker); ``luvat serve --processes N`` is gunicorn with N gthread processes, configured by
:mod:`luvat.config.gunicorn`, for production machines (figures in docs/operations.md). Its
background work runs in ``luvat worker`` processes.
"""

from __future__ import annotations

import signal
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from luvat.web.demo import demo_logins
from luvat.web.health import migrations_applied


def public_url_follow_port(port: int) -> None:
    """Without an explicit ``LUVAT_PUBLIC_URL``, the address is this server's own port: the
    links in delivered documents, e-mails and the demo simulator's status reports then reach
    the server that ``--port`` started, not port 8000."""
    if not settings.PRODUCTION and not settings.LUVAT_PUBLIC_URL_GIVEN:
        settings.LUVAT_PUBLIC_URL = f"http://localhost:{port}"


class Command(BaseCommand):
    help = "Serve Luvat over HTTP; also runs the background worker unless turned off."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
        parser.add_argument("--port", type=int, default=8000, help="port to listen on")
        parser.add_argument(
            "--no-worker", action="store_true", help="do not run the worker in this process"
        )
        parser.add_argument(
            "--processes",
            type=int,
            default=None,
            help="serve with gunicorn (gthread) in N processes instead of waitress; "
            "no in-process worker",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from waitress.server import create_server

        from luvat.config.wsgi import application
        from luvat.integrations.demo import start_demo_simulator
        from luvat.integrations.worker import start_in_thread

        call_command("check", deploy=settings.PRODUCTION, fail_level="ERROR")
        public_url_follow_port(options["port"])
        if not migrations_applied():
            raise CommandError("the database has unapplied migrations: run `luvat migrate` first")

        if options["processes"] is not None:
            if options["processes"] < 1:
                raise CommandError("--processes needs a number of processes of 1 or more")
            self.serve_gunicorn(options["host"], options["port"], options["processes"])
            return

        worker = None
        if settings.LUVAT_WORKER_IN_PROCESS and not options["no_worker"]:
            worker = start_in_thread(
                poll_seconds=settings.LUVAT_WORKER_POLL_SECONDS,
                listen=settings.LUVAT_WORKER_LISTEN,
            )
        simulator = None
        if worker is not None and settings.LUVAT_DEMO and settings.LUVAT_DEMO_SIMULATOR_PORT:
            try:
                simulator = start_demo_simulator(port=settings.LUVAT_DEMO_SIMULATOR_PORT)
            except OSError as exc:  # the port is taken: serve without it, and say so
                self.stderr.write(f"  demo authority simulator not started: {exc}")

        # X-Forwarded-* reach the application untouched and luvat.web.proxies honours them
        # only from LUVAT_TRUSTED_PROXIES (waitress's own trusted_proxy takes one address,
        # no list or network); from any other peer the middleware drops them.
        server = create_server(
            application,
            host=options["host"],
            port=options["port"],
            threads=settings.LUVAT_SERVE_THREADS,
            ident="luvat",
            clear_untrusted_proxy_headers=False,
        )
        host = options["host"]
        shown_host = "localhost" if host in {"127.0.0.1", "0.0.0.0", "::"} else host  # noqa: S104
        url = f"http://{shown_host}:{options['port']}/"
        out = self.stdout
        out.write(self.style.SUCCESS(f"Luvat is running at {url}"))
        database = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
        where = "in this process" if worker else "separate (luvat worker)"
        out.write(f"  mode: {settings.LUVAT_ENV}; database: {database}; worker: {where}")
        out.write(f"  health: {url}healthz   API: {url}api/v1/docs")
        if simulator is not None:
            out.write(
                f"  simulated authority system (HKI-RESCUE): {simulator.url}; statuses go to "
                f"{settings.LUVAT_PUBLIC_URL}"
            )
        if settings.LUVAT_DEMO:
            logins = demo_logins()
            if logins:
                out.write("  demo log-ins:")
                for login in logins:
                    out.write(f"    {login.role}: {login.username} ({login.how})")
        out.write("  stop with Ctrl+C")
        self.stdout.flush()

        def shutdown(signum: int, frame: Any) -> None:
            raise KeyboardInterrupt

        signal.signal(signal.SIGTERM, shutdown)
        try:
            server.run()
        except KeyboardInterrupt:
            pass
        finally:
            if simulator is not None:
                simulator.stop()
            if worker is not None:
                worker.stop()
            server.close()
            out.write("Luvat stopped.")

    def serve_gunicorn(self, host: str, port: int, processes: int) -> None:
        from django.db import connections
        from gunicorn.app.base import BaseApplication

        from luvat.config import gunicorn as gunicorn_settings
        from luvat.config.wsgi import application

        class Server(BaseApplication):  # type: ignore[misc]
            def load_config(self) -> None:
                for name in dir(gunicorn_settings):
                    if name in self.cfg.settings and not name.startswith("_"):
                        self.cfg.set(name, getattr(gunicorn_settings, name))
                self.cfg.set("bind", [f"[{host}]:{port}" if ":" in host else f"{host}:{port}"])
                self.cfg.set("workers", processes)

            def load(self) -> Any:
                return application

        threads = gunicorn_settings.threads
        self.stdout.write(
            self.style.SUCCESS(f"Luvat is running at http://{host}:{port}/ (gunicorn)")
        )
        self.stdout.write(
            f"  {processes} process(es) x {threads} threads; worker: separate (luvat worker)"
        )
        self.stdout.flush()
        connections.close_all()  # nothing open is inherited by the forked processes
        Server().run()
