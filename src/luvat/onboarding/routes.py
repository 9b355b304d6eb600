"""Onboarding's rule of who is offered a service and in which mode (registered with the
catalogue's offering hook), and the modes in force at given moments (for the metrics).

Phased adoption: an authority may start a service as a light e-service and move it to an API
integration later. The mode in force is kept as history (:class:`ModeChange`), so that an
application keeps the route of the day it was started until it is closed, however the mode
changes meanwhile. Without a joining record the catalogue's ``Service.joining_mode`` holds.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.utils import timezone

from luvat.catalogue.joining import Offering, Pair
from luvat.onboarding.models import ModeChange, PilotCompany, ServiceJoining, mode_at
from luvat.onboarding.phases import Phase


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
