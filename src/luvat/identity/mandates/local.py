"""Stand-in for e-Authorizations: the ``LocalMandate`` table (filled by the demo, edited in the
admin). It asks nothing of the browser and answers from the database every time."""

from __future__ import annotations

from typing import Any

from luvat.identity.mandates.base import CompanyMandate, MandateStart
from luvat.identity.models import LocalMandate


class LocalMandates:
    name = "local"

    def start(
        self, *, person_id: int, national_id: str, return_url: str, request_id: str
    ) -> MandateStart:
        return MandateStart()

    def finish(self, *, state: dict[str, Any], code: str, return_url: str) -> dict[str, Any]:
        return state

    def companies(self, *, person_id: int, state: dict[str, Any]) -> list[CompanyMandate]:
        mandates = LocalMandate.objects.filter(person_id=person_id, revoked_at__isnull=True)
        return [
            CompanyMandate(
                business_id=m.business_id, name=m.company_name, roles=(m.role,), basis=m.role
            )
            for m in mandates.order_by("business_id")
        ]

    def end(self, *, state: dict[str, Any]) -> None:
        return None
