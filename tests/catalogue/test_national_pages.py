"""The national catalogue on the pages: concrete authorities outside the demo regions,
"not found" for facts without a source, and Åland said to be out of scope."""

from datetime import timedelta

import pytest
from django.utils import timezone

FUTURE = (timezone.localdate() + timedelta(days=120)).isoformat()
EVENT = {
    "start_date": FUTURE,
    "public_event": "yes",
    "small_and_harmless": "no",
    "attendance": "250",
    "amplified_noise": "no",
    "sells_food": "none",
    "serves_alcohol": "no",
    "structures": "no",
    "action": "result",
}


def event_result(client, municipality: str, language: str = "fi") -> str:
    response = client.post(
        f"/{language}/assessment/event/", {**EVENT, "municipality": municipality}
    )
    assert response.status_code == 303, response.content.decode()[:2000]
    return str(client.get(response["Location"]).content.decode())


@pytest.mark.parametrize(
    ("municipality", "police", "rescue"),
    [
        ("853", "Lounais-Suomen poliisilaitos", "Varsinais-Suomen pelastuslaitos"),
        ("698", "Lapin poliisilaitos", "Lapin pelastuslaitos"),
        ("272", "Pohjanmaan poliisilaitos", "Keski-Pohjanmaan pelastuslaitos"),
    ],
)
def test_an_event_outside_the_demo_regions_names_police_and_rescue(
    client, catalogue, municipality, police, rescue
):
    page = event_result(client, municipality)
    assert police in page and rescue in page
    assert "0295 419 800" in page  # the police helpline, with its source
    assert "ei löytynyt" in page  # the rescue department's phone: not found, said so


def test_an_aland_municipality_is_said_to_be_out_of_scope(client, catalogue):
    page = event_result(client, "478", language="en")
    assert "Åland has its own authorities" in page
    assert "No authority is catalogued for this municipality yet" not in page


def test_the_authority_page_shows_its_source_and_what_was_not_found(client, catalogue):
    page = client.get("/en/authorities/RESCUE-LAPPI/").content.decode()
    assert "https://pelastustoimi.fi/lappi/palvelut/pelastuspalvelut" in page
    assert page.count("not found") >= 2


def test_food_control_resolves_to_the_joint_units_with_the_facts_and_their_sources(
    client, catalogue
):
    # A Turku event with an own food truck registered in Kokkola: the registration goes to
    # Kokkola's joint unit (Central Ostrobothnia), the sales notice to Turku's food control.
    answers = {
        **EVENT,
        "municipality": "853",
        "sells_food": "own_mobile",
        "mobile_registered": "no",
        "home_municipality": "272",
    }
    response = client.post("/en/assessment/event/", answers)
    assert response.status_code == 303, response.content.decode()[:2000]
    page = client.get(response["Location"]).content.decode()
    assert "Central Ostrobothnia Environmental Health, food control" in page
    assert "Turku Environmental Health, food control" in page
    # The fee of the registration, with the page it was read from.
    assert "Charged: registration is charged under the tariff" in page
    assert (
        "https://www.riihimaki.fi/ela-ja-voi-hyvin/ymparistoterveydenhuolto/elintarvikevalvonta/"
        in page
    )
    # A service with no published processing time says so instead of a dash.
    assert "No processing time is published." in page
