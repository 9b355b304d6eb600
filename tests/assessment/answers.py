"""Valid answer sets per package, for the API, page and browser tests."""

from typing import Any

ANSWERS: dict[str, dict[str, Any]] = {
    "event": {
        "municipality": "091",
        "public_event": True,
        "small_and_harmless": False,
        "attendance": 300,
        "hazards": [],
        "amplified_noise": True,
        "noise_several_municipalities": False,
        "sells_food": "none",
        "serves_alcohol": False,
        "structures": False,
    },
    "industrial-plant-change": {
        "municipality": "837",
        "emissions_increase": True,
        "otherwise_substantial": False,
        "permit_authority": "state",
        "eia_listed": "no",
        "chemicals": "small_scale",
        "new_buildings": True,
        "affects_waters": False,
    },
    "mine-supervision": {
        "municipality": "564",
        "area_change": True,
        "construction_or_production": False,
        "production_increase": False,
        "new_discharge": False,
        "annual_extraction": 600000,
        "open_pit_area": 10,
        "explosives_storage": "none",
    },
    "social-health-company": {
        "municipality": "837",
        "sector": "social",
        "service_area": "one_region",
        "units": [
            {
                "name": "Päiväkoti Satakieli",
                "municipality": "837",
                "care_forms": ["day_care"],
                "residents_need_help": False,
            }
        ],
    },
    "renewable-energy": {
        "municipality": "564",
        "technology": "solar",
        "capacity_kw": 500,
        "repowering": False,
        "municipality_requires_solar_permit": "yes",
    },
    "rural-investment": {
        "municipality": "564",
        "enterprise": "farm",
        "investments": ["barn"],
        "cost_eur": 250000,
        "wants_support": True,
        "animals": "dairy_cows",
        "herd": {"before": 60, "after": 120},
        "new_building": True,
    },
}


def valid_answers(package: str, start_date: str) -> dict[str, object]:
    return {**ANSWERS[package], "start_date": start_date}
