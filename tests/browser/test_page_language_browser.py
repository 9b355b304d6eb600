"""Done when: on the Swedish and English pages no visible text outside a ``lang``-marked element
is one of the service's Finnish interface strings (WCAG 3.1.2, which axe does not check).

The Finnish strings come from the apps' gettext catalogues: every Finnish translation that is
neither the English source nor the Swedish translation of the same message."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import polib
import pytest

import luvat

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SOURCE = Path(luvat.__file__).parent

# Visible text nodes, each with the language it is in (its nearest lang attribute).
VISIBLE_TEXT = """() => {
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const found = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.textContent.replace(/\\s+/g, ' ').trim();
    const parent = node.parentElement;
    if (!text || !parent || parent.closest('script, style, noscript, [hidden]')) continue;
    if (!parent.checkVisibility()) continue;
    const marked = parent.closest('[lang]');
    found.push([text, marked ? marked.getAttribute('lang') : '']);
  }
  return found;
}"""


@cache
def finnish_only() -> frozenset[str]:
    """The Finnish interface strings that are not also the English or Swedish wording."""
    strings: set[str] = set()
    for fi_po in sorted(SOURCE.glob("*/locale/fi/LC_MESSAGES/django.po")):
        sv_po = fi_po.parents[2] / "sv" / "LC_MESSAGES" / "django.po"
        swedish = {entry.msgid: entry.msgstr for entry in polib.pofile(str(sv_po))}
        for entry in polib.pofile(str(fi_po)):
            text = " ".join(entry.msgstr.split())
            # Placeholders and one-word strings shared by the languages say nothing.
            if len(text) < 4 or "%(" in text or "{" in text or not entry.translated():
                continue
            if text in (entry.msgid, swedish.get(entry.msgid, "")):
                continue
            strings.add(text)
    assert len(strings) > 500, "the Finnish catalogues were not found"
    return frozenset(strings)


def finnish_outside_lang(page: Any, language: str) -> list[str]:
    """Finnish interface strings shown in the page's language rather than marked lang="fi"."""
    finnish = finnish_only()
    return sorted(
        {
            text
            for text, marked in page.evaluate(VISIBLE_TEXT)
            if (marked or language).split("-")[0] == language and text in finnish
        }
    )


def test_the_check_finds_an_unmarked_finnish_string_and_accepts_a_marked_one(page) -> None:
    page.set_content(
        '<html lang="en"><body><p>Kirjaudu ulos</p><p lang="fi">Tallenna luonnos</p>'
        "<p>Log out</p></body></html>"
    )
    assert finnish_outside_lang(page, "en") == ["Kirjaudu ulos"]


@pytest.mark.parametrize("language", ["sv", "en"])
def test_pages_show_no_unmarked_finnish_interface_text(live_server, browser, site, language):
    found: dict[str, list[str]] = {}
    for name, path, session in site.in_language(language):
        context = browser.new_context(locale=f"{language}-FI")
        if session:
            context.add_cookies([{"name": "sessionid", "value": session, "url": live_server.url}])
        page = context.new_page()
        response = page.goto(f"{live_server.url}{path}")
        assert response is not None and response.status == 200, (name, path)
        assert page.get_attribute("html", "lang") == language
        if finnish := finnish_outside_lang(page, language):
            found[name] = finnish
        context.close()
    assert found == {}
