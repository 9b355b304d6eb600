import pytest

HEADINGS = {
    "fi": "Luvat ja valvonta yhdestä paikasta",
    "sv": "Tillstånd och tillsyn på ett ställe",
    "en": "Permits and supervision in one place",
}


@pytest.mark.parametrize(("language", "heading"), HEADINGS.items())
def test_front_page_in_each_language(client, language, heading):
    response = client.get(f"/{language}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}" class="govuk-template">' in html
    assert f'<h1 class="govuk-heading-xl">{heading}</h1>' in html
    assert 'href="#main"' in html and 'id="main"' in html
    for other, other_heading in HEADINGS.items():
        if other != language:
            assert f'hreflang="{other}"' in html
            assert other_heading not in html


def test_root_redirects_to_the_browser_language(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="sv-FI,sv;q=0.9,en;q=0.5")
    assert response.status_code == 302
    assert response["Location"] == "/sv/"


def test_root_defaults_to_finnish(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="de")
    assert response["Location"] == "/fi/"


def test_current_language_is_marked_in_the_switch(client):
    html = client.get("/en/").content.decode()
    # GOV.UK's language navigation: the current language is text, the others are links.
    assert 'lang="en" aria-current="true">In English</span>' in html
    assert 'hreflang="en"' not in html
    assert 'hreflang="fi"' in html and 'lang="fi" aria-current' not in html
