"""Open statistics API (no log-in): the public lead times per authority, service and quarter."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from luvat.onboarding.leadtimes import DEFAULT_QUARTERS, MAX_QUARTERS, LeadTimeTable, lead_times
from luvat.web.ratelimits import address_key, check_api

router = Router(tags=["statistics"])


class LeadTimeFilter(Schema):
    quarters: int = Field(
        DEFAULT_QUARTERS, ge=1, le=MAX_QUARTERS, description="how many recent quarters"
    )


class LeadTimeCellOut(Schema):
    authority: str = Field(description="the authority's catalogue code")
    authority_name: str
    service: str = Field(description="the service's (permit's) catalogue code")
    service_name: str
    quarter: str = Field(description="quarter of the decision, e.g. 2026-Q3 (Finnish time)")
    suppressed: bool = Field(
        description="fewer decided applications than `threshold`: no count and no figures"
    )
    decided: int | None = Field(description="decided applications in the cell")
    median_days: float | None = Field(description="median days from submission to decision")
    p90_days: float | None = Field(description="90th percentile (nearest rank) of those days")


class LeadTimesOut(Schema):
    quarters: list[str] = Field(description="the quarters covered, newest first")
    threshold: int = Field(description="cells with fewer decided applications are suppressed")
    definition: str
    cells: list[LeadTimeCellOut]


DEFINITION = (
    "Days (hours / 24) from an application's first 'submitted' status event to its first "
    "'decision_made' status event, counted in the quarter of the decision."
)


def lead_times_out(table: LeadTimeTable) -> LeadTimesOut:
    return LeadTimesOut(
        quarters=[q.label for q in table.quarters],
        threshold=table.threshold,
        definition=DEFINITION,
        cells=[
            LeadTimeCellOut(
                authority=c.authority_code,
                authority_name=c.authority_name,
                service=c.service_code,
                service_name=c.service_name,
                quarter=c.quarter,
                suppressed=c.suppressed,
                decided=c.decided,
                median_days=c.median_days,
                p90_days=c.p90_days,
            )
            for c in table.cells
        ],
    )


@router.get(
    "",
    response=LeadTimesOut,
    summary="Public lead times from submission to decision",
    description="Open to anyone, no log-in; limited per client address (`LUVAT_RATE_PUBLIC`). "
    "Names are in the language of `Accept-Language` (fi, sv, en).",
)
def lead_times_api(request: HttpRequest, filters: Query[LeadTimeFilter]) -> LeadTimesOut:
    check_api(request, "public", address_key(request))
    return lead_times_out(lead_times(quarters=filters.quarters))
