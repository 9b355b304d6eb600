"""The demo's authority system: Helsinki City Rescue Department joined by API.

``luvat load-demo`` (order 65, after the catalogue and the demo project) makes the rescue
services of the festival demo API-joined, gives the rescue department an endpoint at the local
simulator with a signing secret, and an API key that the simulator uses to report statuses.
``luvat serve`` in demo mode runs that simulator in a thread (:func:`start_demo_simulator`), so
a submitted rescue plan moves to received → in processing → decision on its own.

Demo only: the secret and the key are public, and ``luvat check`` refuses demo mode in
production.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction

from luvat.audit.actors import Actor
from luvat.audit.services import audit_record
from luvat.catalogue.models import JoiningMode, Service
from luvat.identity.models import ApiClient, ApiKey
from luvat.identity.services import API_KEY_PREFIX, api_key_digest
from luvat.integrations.endpoints import authority_endpoint_save
from luvat.integrations.models import AuthorityEndpoint, TransportKind
from luvat.integrations.simulator import AuthoritySimulator, SimulatorConfig, make_http_server
from luvat.web.demo import DemoLogin, DemoResult

DEMO_AUTHORITY = "HKI-RESCUE"
DEMO_API_SERVICES = ("event-rescue-plan", "consumer-fireworks-notification")
DEMO_ENDPOINT = "hki-rescue-demo-simulator"
DEMO_SIGNING_SECRET = "demo-only-rescue-signing-secret-0123456789"  # noqa: S105 - public demo
DEMO_KEY_ID = "demorescue"
DEMO_KEY_SECRET = "demo-only-rescue-key"  # noqa: S105 - public demo key
DEMO_TOKEN = f"{API_KEY_PREFIX}_{DEMO_KEY_ID}_{DEMO_KEY_SECRET}"
# Slow enough for a person to watch the project page change.
DEMO_DELAYS = (5.0, 20.0, 45.0)
DEMO_LOGINS = (
    DemoLogin(
        role=f"Simulated authority system of {DEMO_AUTHORITY} (API /api/v1/)",
        username=DEMO_KEY_ID,
        how=f"Authorization: Bearer {DEMO_TOKEN}",
    ),
)


def demo_simulator_url(port: int) -> str:
    return f"http://127.0.0.1:{port}/receive"


@transaction.atomic
def load_demo_integration() -> DemoResult:
    """Join the demo rescue services by API and point the endpoint at the simulator.

    Idempotent; a service whose joining mode someone changed from the catalogue's ``light``,
    an existing endpoint and an existing key are left as they are.
    """
    port = settings.LUVAT_DEMO_SIMULATOR_PORT
    if not port:
        return DemoResult(created=0, existing=0)
    actor = Actor.system("load-demo")
    created = existing = 0
    for service in Service.objects.filter(code__in=DEMO_API_SERVICES).order_by("code"):
        if service.joining_mode != JoiningMode.LIGHT:
            existing += 1
            continue
        service.joining_mode = JoiningMode.API
        service.save(update_fields=["joining_mode"])
        audit_record(
            actor=actor,
            action="service.joining_mode",
            target=service,
            details={"joining_mode": JoiningMode.API, "demo": True},
        )
        created += 1
    if AuthorityEndpoint.objects.filter(code=DEMO_ENDPOINT).exists():
        existing += 1
    else:
        authority_endpoint_save(
            endpoint=AuthorityEndpoint(
                code=DEMO_ENDPOINT,
                authority_code=DEMO_AUTHORITY,
                name="Simulated case system (demo)",
                transport=TransportKind.HTTP,
                url=demo_simulator_url(port),
                read_timeout_seconds=10.0,
            ),
            actor=actor,
            signing_secret=DEMO_SIGNING_SECRET,
        )
        created += 1
    if ApiKey.objects.filter(key_id=DEMO_KEY_ID).exists():
        existing += 1
    else:
        client = ApiClient.objects.create(
            name="Helsinki rescue case system (demo simulator)", authority_code=DEMO_AUTHORITY
        )
        ApiKey.objects.create(
            client=client, key_id=DEMO_KEY_ID, secret_digest=api_key_digest(DEMO_KEY_SECRET)
        )
        audit_record(actor=actor, action="api_client.create", target=client)
        created += 1
    return DemoResult(created=created, existing=existing)


@dataclass
class RunningSimulator:
    simulator: AuthoritySimulator
    url: str
    _server: object
    _thread: threading.Thread

    def stop(self) -> None:
        self.simulator.stop()
        self._server.shutdown()  # type: ignore[attr-defined]
        self._server.server_close()  # type: ignore[attr-defined]


def start_demo_simulator(
    *, port: int, delays: tuple[float, float, float] = DEMO_DELAYS
) -> RunningSimulator:
    """Run the demo rescue department's simulated case system on ``port`` in threads.

    It reports statuses to the events address in each delivered document (built from
    ``LUVAT_PUBLIC_URL``), with the demo API key and signing secret.
    """
    config = SimulatorConfig(
        DEMO_AUTHORITY,
        secret=DEMO_SIGNING_SECRET,
        api_url=settings.LUVAT_PUBLIC_URL,
        api_headers={"Authorization": f"Bearer {DEMO_TOKEN}"},
        delays=delays,
    )
    simulator = AuthoritySimulator(config)
    server = make_http_server(simulator, "127.0.0.1", port)
    thread = threading.Thread(target=server.serve_forever, name="demo-simulator", daemon=True)
    thread.start()
    simulator.start()
    host, bound = server.server_address[:2]
    return RunningSimulator(simulator, f"http://{host!s}:{bound}/receive", server, thread)
