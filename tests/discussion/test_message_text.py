from hypothesis import given
from hypothesis import strategies as st

from luvat.discussion.text import mentioned_authorities, render_message


def test_html_is_escaped_and_only_http_links_are_links():
    html = render_message(
        'Hi <b>there</b> <script>alert("x")</script> https://luvat.example/a?b=1&c=2. '
        "javascript:alert(1) ftp://files.example/x www.example.fi mailto:a@b.fi"
    )
    assert "<b>" not in html and "<script>" not in html
    assert "&lt;script&gt;" in html
    assert (
        '<a href="https://luvat.example/a?b=1&amp;c=2" rel="nofollow noopener noreferrer">' in html
    )
    assert html.count("<a ") == 1
    assert "javascript:alert(1)" in html


def test_a_link_cannot_break_out_of_its_attribute():
    html = render_message('https://x.example/"onmouseover="alert(1)')
    assert 'onmouseover="' not in html
    assert html.count('"') == 4  # href="…" and rel="…"


def test_line_breaks_are_kept_and_trailing_punctuation_is_left_out_of_links():
    html = render_message("Line one\nsee (https://x.example/path).")
    assert "<br>" in html
    assert 'href="https://x.example/path"' in html
    assert "path)" not in html.split(">")[1]


def test_mentions_match_the_projects_authorities_in_any_case():
    assert mentioned_authorities(
        "@HKI-RESCUE and @tukes, mail a@hki-police", ["hki-rescue", "hki-police"]
    ) == ["hki-rescue"]


@given(st.text())
def test_no_text_ever_produces_markup_other_than_links_and_breaks(text):
    html = str(render_message(text))
    stripped = html.replace("<br>", "")
    for tag in ("<script", "<img", "<b>", "<iframe", "<svg"):
        assert tag not in stripped.lower()
    assert stripped.count("<") == stripped.count("<a ") + stripped.count("</a>")
