"""What an authority receives: the frozen snapshot of an application and its SHA-256."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from luvat.projects.models import Application, Attachment


def canonical_json(document: Any) -> bytes:
    """The byte form the receipt's hash is taken over: sorted keys, no spaces, UTF-8."""
    return json.dumps(
        document, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


def snapshot_sha256(snapshot: Mapping[str, Any]) -> str:
    return hashlib.sha256(canonical_json(snapshot)).hexdigest()


def effective_form_data(
    *, form_data: Mapping[str, Any], mapping: Mapping[str, str], shared: Mapping[str, Any]
) -> dict[str, Any]:
    """The form as the customer sees it: saved answers, with mapped fields from shared data."""
    data = dict(form_data)
    for prop, code in mapping.items():
        if code in shared and shared[code] is not None:
            data[prop] = shared[code]
        else:
            data.pop(prop, None)
    return data


def build_snapshot(
    *,
    application: Application,
    shared: Mapping[str, Any],
    form: Mapping[str, Any],
    attachments: Iterable[Attachment],
    arrived_at: datetime,
    reference: str,
) -> dict[str, Any]:
    """Shared data, the service-specific answers and attachment hashes, all JSON-native."""
    project = application.project
    service = application.service
    authority = application.authority
    exchange = {"inforequest": application.prior_exchange} if application.prior_exchange else {}
    return {
        **exchange,
        "format": "luvat.application/1",
        "reference": reference,
        "arrived_at": arrived_at.isoformat(),
        "project": {
            "reference": project.reference,
            "name": project.name,
            "business_id": project.business_id,
            "company_name": project.company_name,
        },
        "application": {"reference": application.reference, "id": str(application.public_id)},
        "service": {"code": service.code, "name": service.name_fi},
        "authority": {"code": authority.code, "name": authority.name_fi} if authority else None,
        "shared_data": dict(sorted(shared.items())),
        "form": dict(sorted(form.items())),
        "attachments": [
            {
                "id": str(a.public_id),
                "code": a.code,
                "file_name": a.original_name,
                "content_type": a.content_type,
                "size": a.size,
                "sha256": a.sha256,
            }
            for a in attachments
        ],
    }
