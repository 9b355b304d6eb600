"""Cleaning shared-data values by their vocabulary type; one JSON-able form per type."""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import Q
from django.utils.translation import gettext as _

from luvat.catalogue.models import Municipality, VocabularyField, VocabularyType

MAX_TEXT = 5000
PHONE = re.compile(r"^\+?[0-9 ()-]{5,20}$")
BUSINESS_ID = re.compile(r"^([0-9]{7})-([0-9])$")
COORDINATES = re.compile(r"^\s*(-?[0-9]{1,3}(?:\.[0-9]+)?)\s*,\s*(-?[0-9]{1,3}(?:\.[0-9]+)?)\s*$")
BUSINESS_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2)


def business_id_is_valid(value: str) -> bool:
    """Finnish business ID (Y-tunnus) format and check digit (mod 11, weights 7 9 10 5 8 4 2)."""
    match = BUSINESS_ID.match(value)
    if not match:
        return False
    digits, check = match.group(1), int(match.group(2))
    remainder = sum(int(d) * w for d, w in zip(digits, BUSINESS_ID_WEIGHTS, strict=True)) % 11
    if remainder == 1:
        return False
    return check == (0 if remainder == 0 else 11 - remainder)


def is_empty(raw: Any) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip())


def clean_value(field: VocabularyField, raw: Any) -> Any:
    """The stored form of ``raw`` for ``field``; ValueError with a translated reason if invalid.

    HTML forms send text and the API sends typed JSON: both are accepted.
    """
    kind = field.type
    text = raw.strip() if isinstance(raw, str) else raw
    if kind in {VocabularyType.STRING, VocabularyType.TEXT}:
        text = str(text)
        if len(text) > MAX_TEXT:
            raise ValueError(_("Use at most %(count)d characters.") % {"count": MAX_TEXT})
        return text
    if kind == VocabularyType.EMAIL:
        try:
            validate_email(str(text))
        except ValidationError:
            raise ValueError(_("Enter an e-mail address such as name@example.fi.")) from None
        return str(text)
    if kind == VocabularyType.PHONE:
        if not PHONE.match(str(text)):
            raise ValueError(_("Enter a phone number such as +358 40 123 4567."))
        return str(text)
    if kind == VocabularyType.INTEGER:
        try:
            if isinstance(text, bool):
                raise ValueError
            if isinstance(text, float) and not text.is_integer():
                raise ValueError
            return (
                int(str(text).replace(" ", "")) if not isinstance(text, int | float) else int(text)
            )
        except ValueError:
            raise ValueError(_("Enter a whole number.")) from None
    if kind == VocabularyType.NUMBER:
        try:
            number = Decimal(str(text).replace(",", ".").replace(" ", ""))
        except InvalidOperation:
            raise ValueError(_("Enter a number.")) from None
        if not number.is_finite():
            raise ValueError(_("Enter a number."))
        return float(number)
    if kind == VocabularyType.DATE:
        try:
            return (text if isinstance(text, date) else date.fromisoformat(str(text))).isoformat()
        except ValueError:
            raise ValueError(_("Enter a date as YYYY-MM-DD.")) from None
    if kind == VocabularyType.DATETIME:
        try:
            moment = text if isinstance(text, datetime) else datetime.fromisoformat(str(text))
        except ValueError:
            raise ValueError(_("Enter a date and time as YYYY-MM-DDTHH:MM.")) from None
        return moment.isoformat(timespec="minutes")
    if kind == VocabularyType.BOOLEAN:
        if isinstance(text, bool):
            return text
        lowered = str(text).lower()
        if lowered in {"true", "1", "yes", "on"}:
            return True
        if lowered in {"false", "0", "no", "off"}:
            return False
        raise ValueError(_("Choose yes or no."))
    if kind == VocabularyType.MUNICIPALITY:
        return _municipality_code(str(text))
    if kind == VocabularyType.BUSINESS_ID:
        if not business_id_is_valid(str(text)):
            raise ValueError(_("Enter a business ID such as 1234567-1 (the check digit is wrong)."))
        return str(text)
    if kind == VocabularyType.COORDINATES:
        match = COORDINATES.match(str(text))
        if not match:
            raise ValueError(_("Enter coordinates as latitude, longitude (e.g. 60.17, 24.94)."))
        lat, lon = float(match.group(1)), float(match.group(2))
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise ValueError(_("Enter coordinates as latitude, longitude (e.g. 60.17, 24.94)."))
        return f"{lat}, {lon}"
    return text


def _municipality_code(text: str) -> str:
    """A municipality by its code ("091", "91") or its name in Finnish, Swedish or English,
    as typed (case and surrounding spaces do not matter)."""
    text = text.strip()
    if text.isdigit():
        found = Municipality.objects.filter(code=text.zfill(3)).values_list("code", flat=True)
    else:
        found = Municipality.objects.filter(
            Q(name_fi__iexact=text) | Q(name_sv__iexact=text) | Q(name_en__iexact=text)
        ).values_list("code", flat=True)
    codes = sorted(set(found))
    if len(codes) != 1:
        raise ValueError(_("Choose a municipality from the list, or type its name."))
    return codes[0]
