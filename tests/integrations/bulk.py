"""Many submitted applications at once, copied from one submitted through the real services."""

from __future__ import annotations

import copy
import uuid

from django.utils import timezone

from luvat.integrations.models import OutboxMessage
from luvat.projects.models import Application, Project
from luvat.projects.status import Status


def submitted_copies(
    template: Application, count: int, *, authority_id: int | None = None
) -> list[Application]:
    """``count`` submitted applications like ``template``, each in a project of its own."""
    project = template.project
    run = uuid.uuid4().hex[:8]
    projects = Project.objects.bulk_create(
        [
            Project(
                reference=f"BULK-{run}-{n:06d}",
                business_id=project.business_id,
                company_name=project.company_name,
                name=f"{project.name} {n}",
            )
            for n in range(count)
        ]
    )
    return Application.objects.bulk_create(
        [
            Application(
                project=p,
                service_id=template.service_id,
                authority_id=authority_id or template.authority_id,
                reference=f"{p.reference}-01",
                status=Status.SUBMITTED,
                submitted_at=template.submitted_at or timezone.now(),
            )
            for p in projects
        ]
    )


def bulk_submitted(template: Application, count: int) -> list[OutboxMessage]:
    """``count`` more projects, each with one submitted application and its outbox message."""
    message = OutboxMessage.objects.get(application=template)
    applications = submitted_copies(template, count)
    messages = []
    for application in applications:
        application.public_id = application.public_id or uuid.uuid4()
        payload = copy.deepcopy(message.payload)
        payload["application"] = {
            "id": str(application.public_id),
            "reference": application.reference,
        }
        payload["reference"] = application.reference
        messages.append(
            OutboxMessage(
                kind=message.kind,
                authority_code=message.authority_code,
                application=application,
                application_reference=application.reference,
                payload=payload,
            )
        )
    return OutboxMessage.objects.bulk_create(messages)
