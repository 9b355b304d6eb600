"""Many submitted applications at once, copied from one submitted through the real services."""

from __future__ import annotations

import copy
import uuid

from django.utils import timezone

from luvat.integrations.models import OutboxMessage
from luvat.projects.models import Application, Project
from luvat.projects.status import Status


def bulk_submitted(template: Application, count: int) -> list[OutboxMessage]:
    """``count`` more projects, each with one submitted application and its outbox message."""
    message = OutboxMessage.objects.get(application=template)
    project = template.project
    now = timezone.now()
    projects = Project.objects.bulk_create(
        [
            Project(
                reference=f"BULK-{n:06d}",
                business_id=project.business_id,
                company_name=project.company_name,
                name=f"{project.name} {n}",
            )
            for n in range(count)
        ]
    )
    applications = Application.objects.bulk_create(
        [
            Application(
                project=p,
                service_id=template.service_id,
                authority_id=template.authority_id,
                reference=f"{p.reference}-01",
                status=Status.SUBMITTED,
                submitted_at=now,
            )
            for p in projects
        ]
    )
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
