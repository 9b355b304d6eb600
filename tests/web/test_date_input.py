"""The GOV.UK date input: one parser for day, month and year; a Django field and widget."""

from __future__ import annotations

from datetime import date

import pytest
from django import forms
from django.http import QueryDict
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from luvat.web.forms.dates import (
    DateInputError,
    DateInputField,
    DateParts,
    parse_date_parts,
    read_date,
)

DATES = st.dates(min_value=date(1000, 1, 1), max_value=date(9999, 12, 31))
BOX = st.text(max_size=6) | st.sampled_from(["", "0", "00", "13", "31", "29", "2026", "٣", "²"])


@given(DATES, st.booleans())
def test_any_valid_date_round_trips_through_the_boxes(value, padded):
    parts = DateParts.of(value)
    if padded:
        parts = DateParts(parts.day.zfill(2), f" {parts.month.zfill(2)} ", parts.year)
        parts = DateParts(*(p.strip() for p in (parts.day, parts.month, parts.year)))
    assert parse_date_parts(parts) == value


@given(DATES)
def test_a_valid_date_posted_in_three_boxes_or_one_iso_box_reads_the_same(value):
    boxes = QueryDict(mutable=True)
    boxes.update({"d-day": str(value.day), "d-month": str(value.month), "d-year": str(value.year)})
    single = QueryDict(mutable=True)
    single["d"] = value.isoformat()
    assert read_date(boxes, "d").value == value
    assert read_date(single, "d").value == value


@given(BOX, BOX, BOX)
def test_garbage_gives_a_form_error_never_an_exception(day, month, year):
    form = _Form(QueryDict(mutable=True) | {"on-day": day, "on-month": month, "on-year": year})
    valid = form.is_valid()
    reading = read_date(
        {"on-day": day, "on-month": month, "on-year": year},
        "on",
    )
    if valid:
        assert reading.error is None
        assert form.cleaned_data["on"] == reading.value
    else:
        assert reading.error is not None
        assert form.errors["on"] == [reading.error.message]
        assert set(reading.error.wrong) <= {"day", "month", "year"}


class _Form(forms.Form):
    on = DateInputField(label="Alkaa", required=False)


@pytest.mark.parametrize(
    ("parts", "wrong", "message"),
    [
        (DateParts("", "3", "2026"), ("day",), "Päivämäärästä puuttuu päivä."),
        (DateParts("27", "", ""), ("month", "year"), "Päivämäärästä puuttuvat kuukausi ja vuosi."),
        (DateParts("27", "maalis", "2026"), ("month",), "Kirjoita päivämäärä numeroina"),
        (DateParts("27", "3", "26"), ("year",), "Vuodessa on oltava neljä numeroa."),
        (DateParts("27", "13", "2026"), ("month",), "kuukauden on oltava 1"),
        (DateParts("31", "6", "2026"), ("day",), "kuukaudessa ei ole sitä päivää"),
        (DateParts("29", "2", "2027"), ("day",), "kuukaudessa ei ole sitä päivää"),
    ],
)
def test_each_wrong_date_names_its_wrong_box_in_finnish(parts, wrong, message):
    with translation.override("fi"), pytest.raises(DateInputError) as caught:
        parse_date_parts(parts)
    assert caught.value.wrong == wrong
    assert message in caught.value.message


def test_the_messages_are_in_swedish_and_english_too():
    for language, text in (("sv", "månad"), ("en", "month")):
        with translation.override(language), pytest.raises(DateInputError) as caught:
            parse_date_parts(DateParts("27", "", "2026"))
        assert text in caught.value.message


def test_all_boxes_empty_is_no_date():
    assert parse_date_parts(DateParts()) is None
    assert read_date({}, "on").value is None


def test_the_widget_renders_one_box_per_part_and_keeps_what_was_typed():
    form = _Form({"on-day": "31", "on-month": "6", "on-year": "2026"})
    assert not form.is_valid()
    html = str(form["on"])
    assert 'name="on-day" type="text" inputmode="numeric" value="31"' in html
    assert 'id="id_on-day"' in html
    assert html.count("govuk-input--error") == 1
    assert 'value="6"' in html
    assert 'value="2026"' in html
    assert form["on"].id_for_label == "id_on-day"


def test_the_widget_shows_a_stored_date_in_its_boxes():
    html = str(_Form(initial={"on": date(2026, 3, 27)})["on"])
    assert 'value="27"' in html
    assert 'value="3"' in html
    assert "govuk-input--error" not in html
