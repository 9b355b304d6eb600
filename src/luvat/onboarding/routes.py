"""Which way an application goes (the joining mode) and who is offered a service.

Phased adoption: an authority may start a service as a light e-service and move it to an API
integration later. The mode in force is kept as history (:class:`ModeChange`), so that an
application keeps the route of the day it was started until it is closed, however the mode
changes meanwhile. Without a joining record the catalogue's ``Service.joining_mode`` holds.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.utils import timezone

from luvat.onboarding.models import ModeChange, PilotCompany, ServiceJoining, mode_at
from luvat.onboarding.phases import Phase

Pair = tuple[str, str]  # (authority code, service code)


def _joinings(pairs: set[Pair]) -> dict[Pair, ServiceJoining]:
    if not pairs:
        return {}
    authorities = {a for a, _ in pairs}
    services = {s for _, s in pairs}
    rows = ServiceJoining.objects.filter(
        joining__authority__code__in=authorities, service__code__in=services
    ).select_related("joining__authority", "service")
    found = {(sj.joining.authority.code, sj.service.code): sj for sj in rows}
    return {pair: sj for pair, sj in found.items() if pair in pairs}


def _mode_changes(joinings: Iterable[ServiceJoining]) -> dict[int, list[ModeChange]]:
    changes: dict[int, list[ModeChange]] = defaultdict(list)
    ids = [sj.pk for sj in joinings]
    if ids:
        for change in ModeChange.objects.filter(service_joining_id__in=ids).order_by(
            "effective_at", "id"
        ):
            changes[change.service_joining_id].append(change)
    return changes


def modes_at(
    moments: dict[Pair, list[datetime]], defaults: dict[str, str]
) -> dict[Pair, list[str]]:
    """For each (authority, service) the modes in force at the given moments (two queries).

    ``defaults`` maps service codes to the catalogue's mode, used without a joining record.
    """
    joinings = _joinings(set(moments))
    changes = _mode_changes(joinings.values())
    result: dict[Pair, list[str]] = {}
    for pair, instants in moments.items():
        default = defaults.get(pair[1], "")
        joining = joinings.get(pair)
        history = changes.get(joining.pk, []) if joining else []
        result[pair] = [mode_at(history, instant, default) for instant in instants]
    return result


def joining_mode_for(
    *, authority_code: str, service_code: str, default: str, at: datetime | None = None
) -> str:
    """The joining mode of the authority's service in force at ``at`` (now by default)."""
    moment = at or timezone.now()
    return modes_at({(authority_code, service_code): [moment]}, {service_code: default})[
        (authority_code, service_code)
    ][0]


def route_for_application(application: object) -> str:
    """The joining mode an application goes by: the one in force when it was started.

    ``application`` is a ``projects.Application`` (with ``authority``, ``service`` and
    ``created_at``); an application without an authority follows the catalogue.
    """
    service = application.service  # type: ignore[attr-defined]
    authority = application.authority  # type: ignore[attr-defined]
    if authority is None:
        return str(service.joining_mode)
    return joining_mode_for(
        authority_code=authority.code,
        service_code=service.code,
        default=service.joining_mode,
        at=application.created_at,  # type: ignore[attr-defined]
    )


def routes_for_applications(applications: Iterable[object]) -> dict[int, str]:
    """Bulk :func:`route_for_application` by application id, in two queries."""
    items = list(applications)
    moments: dict[Pair, list[datetime]] = defaultdict(list)
    defaults: dict[str, str] = {}
    for app in items:
        service = app.service  # type: ignore[attr-defined]
        defaults[service.code] = service.joining_mode
        if app.authority is not None:  # type: ignore[attr-defined]
            pair = (app.authority.code, service.code)  # type: ignore[attr-defined]
            moments[pair].append(app.created_at)  # type: ignore[attr-defined]
    modes = modes_at(dict(moments), defaults)
    cursor: dict[Pair, int] = defaultdict(int)
    routes: dict[int, str] = {}
    for app in items:
        service = app.service  # type: ignore[attr-defined]
        if app.authority is None:  # type: ignore[attr-defined]
            routes[app.pk] = service.joining_mode  # type: ignore[attr-defined]
            continue
        pair = (app.authority.code, service.code)  # type: ignore[attr-defined]
        routes[app.pk] = modes[pair][cursor[pair]]  # type: ignore[attr-defined]
        cursor[pair] += 1
    return routes


@dataclass(frozen=True)
class Offering:
    """Whether the service layer offers a service of an authority to a company.

    ``offered`` False means: apply the ordinary way (the authority's own channels).
    """

    offered: bool
    phase: str = ""
    pilot: bool = False
    mode: str = ""


def offerings_for(pairs: Iterable[Pair], *, business_id: str) -> dict[Pair, Offering]:
    """The pilot rule for many (authority, service) pairs at once (at most three queries).

    In production (or without a joining record) a service is offered to everyone; in the pilot
    only to the companies on its pilot list; before the pilot and while suspended to no one.
    """
    wanted = set(pairs)
    joinings = _joinings(wanted)
    piloted = [sj.pk for sj in joinings.values() if sj.phase == Phase.PILOT]
    listed: set[int] = set()
    if piloted and business_id:
        listed = set(
            PilotCompany.objects.filter(
                service_joining_id__in=piloted, business_id=business_id
            ).values_list("service_joining_id", flat=True)
        )
    now = timezone.now()
    changes = _mode_changes(joinings.values())
    result: dict[Pair, Offering] = {}
    for pair in wanted:
        joining = joinings.get(pair)
        if joining is None:
            result[pair] = Offering(offered=True)
            continue
        mode = mode_at(changes.get(joining.pk, []), now, joining.service.joining_mode)
        if joining.phase == Phase.PRODUCTION:
            result[pair] = Offering(offered=True, phase=joining.phase, mode=mode)
        elif joining.phase == Phase.PILOT:
            result[pair] = Offering(
                offered=joining.pk in listed, phase=joining.phase, pilot=True, mode=mode
            )
        else:
            result[pair] = Offering(offered=False, phase=joining.phase, mode=mode)
    return result


def service_offered_to(*, authority_code: str, service_code: str, business_id: str) -> Offering:
    """The pilot rule for one service: may this company apply through the service layer?"""
    pair = (authority_code, service_code)
    return offerings_for([pair], business_id=business_id)[pair]


def annotate_offerings(result: dict[str, Any], *, business_id: str) -> dict[str, Any]:
    """A copy of an assessment result (see ``luvat.assessment.results``) whose items carry
    ``offering``: {"offered", "pilot", "phase"} for the viewing company (empty: anonymous)."""
    tiers = ("definitely", "possibly")
    pairs = [
        (item["authority"]["code"], item["service"]["code"])
        for tier in tiers
        for item in result.get(tier, [])
        if item.get("authority")
    ]
    offerings = offerings_for(pairs, business_id=business_id)
    annotated = dict(result)
    for tier in tiers:
        items = []
        for item in result.get(tier, []):
            item = dict(item)
            if item.get("authority"):
                offering = offerings[(item["authority"]["code"], item["service"]["code"])]
                item["offering"] = {
                    "offered": offering.offered,
                    "pilot": offering.pilot,
                    "phase": offering.phase,
                }
            items.append(item)
        annotated[tier] = items
    return annotated
