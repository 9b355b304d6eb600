"""Every catalogue is complete, and the committed .mo files match their .po files."""

from pathlib import Path

import polib
import pytest

SRC = Path(__file__).resolve().parent.parent / "src" / "luvat"
CATALOGUES = sorted(SRC.glob("*/locale/*/LC_MESSAGES/*.po"))


def test_there_are_finnish_and_swedish_catalogues():
    languages = {path.parts[-3] for path in CATALOGUES}
    assert {"fi", "sv"} <= languages


@pytest.mark.parametrize("po_path", CATALOGUES, ids=lambda p: str(p.relative_to(SRC)))
def test_catalogue_is_translated_and_compiled(po_path):
    po = polib.pofile(str(po_path))
    untranslated = [entry.msgid for entry in po.untranslated_entries()]
    fuzzy = [entry.msgid for entry in po.fuzzy_entries()]
    assert untranslated == [] and fuzzy == [], "translate these, then run `luvat i18n`"
    mo = polib.mofile(str(po_path.with_suffix(".mo")))
    compiled = {(entry.msgctxt, entry.msgid): entry.msgstr for entry in mo}
    source = {
        (entry.msgctxt, entry.msgid): entry.msgstr
        for entry in po.translated_entries()
        if not entry.obsolete
    }
    assert compiled == source, "the .mo file is stale: run `luvat i18n`"
