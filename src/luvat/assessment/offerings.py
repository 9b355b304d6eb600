"""The assessment result as a company sees it: which suggested services it may apply for here
(the catalogue's offering hook, asked once for the whole result)."""

from __future__ import annotations

from typing import Any

from luvat.catalogue.joining import offerings_for


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
