"""Shared pieces of the integration benchmarks: a PostgreSQL database with submitted
applications, their outbox messages, an endpoint and an API key."""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

from bench._http import BIN

ROOT = Path(__file__).resolve().parents[1]
AUTHORITY = "bench-authority"
SECRET = "bench-signing-secret-0123456789abcdef"  # noqa: S105 - a benchmark fixture


def require_postgres() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit(
            "set DATABASE_URL to a PostgreSQL database made for benchmarks, e.g. "
            "postgres://postgres@127.0.0.1:5432/luvat_bench_integrations"
        )
    return url


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "luvat.config.settings")
    os.environ.setdefault("LUVAT_LOG_LEVEL", "WARNING")
    subprocess.run([str(BIN / "luvat"), "migrate", "-v0"], check=True)
    import django

    django.setup()


def example_payload() -> dict[str, Any]:
    path = ROOT / "docs" / "schemas" / "examples" / "application.submitted.json"
    return dict(json.loads(path.read_text(encoding="utf-8"))["data"])


def seed(count: int, *, clear: bool = True) -> list[str]:
    """Fresh submitted applications with pending outbox messages; their public ids. ``clear``
    first removes the benchmark authority's earlier messages and events."""
    from django.db import transaction

    from luvat.catalogue.models import Authority, AuthorityResolution, JoiningMode, Service
    from luvat.integrations.models import InboundEvent, OutboxMessage
    from luvat.projects.models import Application, Project
    from luvat.projects.status import Status

    authority, _ = Authority.objects.get_or_create(
        code=AUTHORITY, defaults={"name_fi": "Benchmark", "kind": "police", "nationwide": True}
    )
    service, _ = Service.objects.get_or_create(
        code="bench-service",
        defaults={
            "name_fi": "Benchmark",
            "kind": "notification",
            "authority_kind": "police",
            "authority_resolution": AuthorityResolution.NATIONAL,
            "joining_mode": JoiningMode.API,
        },
    )
    payload = example_payload()
    run = uuid.uuid4().hex[:6]
    with transaction.atomic():
        if clear:
            OutboxMessage.objects.filter(authority_code=AUTHORITY).delete()
            InboundEvent.objects.filter(authority_code=AUTHORITY).delete()
        projects = Project.objects.bulk_create(
            [
                Project(reference=f"B{run}-{n:06d}", business_id="0112038-9", name=f"Bench {n}")
                for n in range(count)
            ],
            batch_size=1000,
        )
        applications = Application.objects.bulk_create(
            [
                Application(
                    project=p,
                    service=service,
                    authority=authority,
                    reference=f"{p.reference}-01",
                    status=Status.SUBMITTED,
                )
                for p in projects
            ],
            batch_size=1000,
        )
        messages = []
        for application in applications:
            data = copy.deepcopy(payload)
            data["application"] = {
                "id": str(application.public_id),
                "reference": application.reference,
            }
            messages.append(
                OutboxMessage(
                    kind="application.submitted",
                    authority_code=AUTHORITY,
                    application=application,
                    application_reference=application.reference,
                    payload=data,
                )
            )
        OutboxMessage.objects.bulk_create(messages, batch_size=1000)
    return [str(a.public_id) for a in applications]


def endpoint(**fields: Any) -> None:
    from luvat.audit.actors import Actor
    from luvat.integrations.endpoints import authority_endpoint_save
    from luvat.integrations.models import AuthorityEndpoint

    AuthorityEndpoint.objects.filter(authority_code=AUTHORITY).delete()
    authority_endpoint_save(
        endpoint=AuthorityEndpoint(
            code=f"{AUTHORITY}-endpoint", authority_code=AUTHORITY, **fields
        ),
        actor=Actor.system("bench"),
        signing_secret=SECRET,
    )


def api_key() -> str:
    from luvat.audit.actors import Actor
    from luvat.identity.models import ApiClient
    from luvat.identity.services import api_key_issue

    client, _ = ApiClient.objects.get_or_create(name="bench", authority_code=AUTHORITY)
    return api_key_issue(client=client, actor=Actor.system("bench")).token


def wait_until(predicate: Any, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return False
