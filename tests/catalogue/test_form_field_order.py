"""A service's form keeps its fields in the order they were written, on PostgreSQL too (whose
jsonb reorders object keys: shortest first), and code never sees the stored order key."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.db import connection
from hypothesis import given, settings
from hypothesis import strategies as st

from luvat.catalogue.models import FIELD_ORDER_KEY, Service, with_field_order
from tests.projects.factories import ServiceFactory

pytestmark = pytest.mark.django_db

# Longest first: the reverse of jsonb's own key order.
WRITTEN = ["organiser_of_the_event", "event_name", "venue", "max"]


def schema(names: list[str]) -> dict[str, Any]:
    return {"type": "object", "properties": {name: {"type": "string"} for name in names}}


def test_the_fields_come_back_in_the_written_order_without_the_order_key():
    service = ServiceFactory.create(code="ordered", form_schema=schema(WRITTEN))
    stored = Service.objects.get(pk=service.pk).form_schema
    assert list(stored["properties"]) == WRITTEN
    assert FIELD_ORDER_KEY not in stored
    assert (
        list(
            Service.objects.filter(pk=service.pk).values_list("form_schema", flat=True)[0][
                "properties"
            ]
        )
        == WRITTEN
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT form_schema FROM catalogue_service WHERE id = %s", [service.pk])
        raw = cursor.fetchone()[0]
    assert FIELD_ORDER_KEY in (raw if isinstance(raw, dict) else json.loads(raw))


def test_a_changed_form_keeps_its_new_order():
    service = ServiceFactory.create(code="reordered", form_schema=schema(WRITTEN))
    service.form_schema = schema(["venue", *WRITTEN[:2], "added_last_field"])
    service.save()
    stored = Service.objects.get(pk=service.pk).form_schema
    assert list(stored["properties"]) == ["venue", *WRITTEN[:2], "added_last_field"]


names = st.lists(st.text("abcdefghij_", min_size=1, max_size=12), unique=True, max_size=8)


@settings(max_examples=100)
@given(order=names, extra=names)
def test_order_is_restored_and_unknown_fields_follow(order, extra):
    written = schema(order)
    properties = dict(reversed(list(written["properties"].items())))
    for name in extra:
        properties.setdefault(name, {"type": "string"})
    restored = with_field_order({**written, "properties": properties, FIELD_ORDER_KEY: order})
    assert FIELD_ORDER_KEY not in restored
    assert list(restored["properties"])[: len(order)] == order
    assert set(restored["properties"]) == set(properties)
