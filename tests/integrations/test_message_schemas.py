"""The published JSON Schemas are valid, and every example fits its schema."""

from __future__ import annotations

import copy
import json
from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml
from jsonschema import Draft202012Validator, FormatChecker, ValidationError
from referencing import Registry, Resource

SCHEMAS = Path(__file__).resolve().parents[2] / "docs" / "schemas"
KINDS = [
    "application.submitted",
    "application.supplement",
    "shared_data.changed",
    "application.withdrawn",
]


FORMATS = FormatChecker()


@FORMATS.checks("date-time", raises=ValueError)
def is_datetime(value: object) -> bool:
    # RFC 3339: a date, "T", a time and an offset or Z.
    if not isinstance(value, str):
        return True
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return "T" in value and parsed.tzinfo is not None


@FORMATS.checks("date", raises=ValueError)
def is_date(value: object) -> bool:
    return not isinstance(value, str) or (bool(date.fromisoformat(value)) and len(value) == 10)


@FORMATS.checks("uri")
def is_uri(value: object) -> bool:
    if not isinstance(value, str):
        return True
    parts = urlsplit(value)
    return bool(parts.scheme and parts.netloc)


def load(name: str) -> Any:
    return json.loads((SCHEMAS / name).read_text(encoding="utf-8"))


def registry() -> Registry:
    """Every published schema under its $id, so references between them resolve locally."""
    resources = [Resource.from_contents(load(p.name)) for p in SCHEMAS.glob("*.schema.json")]
    return Registry().with_resources((r.contents["$id"], r) for r in resources)


def validator(name: str) -> Draft202012Validator:
    schema = load(f"{name}.schema.json")
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=FORMATS, registry=registry())


@pytest.mark.parametrize("kind", KINDS)
def test_outbound_examples_fit_their_schema(kind: str) -> None:
    validator(kind).validate(load(f"examples/{kind}.json"))


@pytest.mark.parametrize("example", ["received", "supplement_requested", "decision", "amqp"])
def test_status_event_examples_fit_the_schema(example: str) -> None:
    validator("status-event").validate(load(f"examples/status-event.{example}.json"))


def test_every_example_has_a_schema_and_every_schema_an_example() -> None:
    schemas = {p.name.removesuffix(".schema.json") for p in SCHEMAS.glob("*.schema.json")}
    examples = {p.name.split(".json")[0] for p in (SCHEMAS / "examples").glob("*.json")}
    assert schemas == {*KINDS, "status-event", "status-event-batch"}
    single = {e for e in examples if e.startswith("status-event.")}
    assert {*(examples - single), "status-event"} == schemas


def test_the_batch_example_fits_its_schema_and_the_api_model() -> None:
    from luvat.integrations.api import StatusEventBatchIn

    batch = load("examples/status-event-batch.json")
    validator("status-event-batch").validate(batch)
    assert len(StatusEventBatchIn.model_validate(batch).events) == 3
    without_application = copy.deepcopy(batch)
    del without_application["events"][0]["application_id"]
    with pytest.raises(ValidationError, match="'application_id' is a required property"):
        validator("status-event-batch").validate(without_application)
    with pytest.raises(ValidationError, match=r"should be non-empty|is too short"):
        validator("status-event-batch").validate({"events": []})


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"type": "supplement_requested"}, "'supplement_request' is a required property"),
        ({"type": "decision"}, "'decision' is a required property"),
        ({"type": "approved"}, "is not one of"),
        ({"occurred_at": "yesterday"}, "is not a 'date-time'"),
        ({"colour": "blue"}, "Additional properties"),
        ({"occurred_at": "2026-12-01T09:20:00"}, "is not a 'date-time'"),
    ],
)
def test_status_event_schema_refuses_bad_events(change: dict[str, Any], message: str) -> None:
    event = {**load("examples/status-event.received.json"), **change}
    with pytest.raises(ValidationError, match=message):
        validator("status-event").validate(event)


def test_download_links_must_expire() -> None:
    document = copy.deepcopy(load("examples/application.submitted.json"))
    del document["attachments"][0]["expires_at"]
    with pytest.raises(ValidationError, match="expires_at"):
        validator("application.submitted").validate(document)


def test_asyncapi_document_names_the_real_channels_and_schemas() -> None:
    from luvat.integrations.transports.amqp import STATUS_EXCHANGE, STATUS_QUEUE

    document = yaml.safe_load((SCHEMAS.parent / "asyncapi.yaml").read_text(encoding="utf-8"))
    assert document["asyncapi"].startswith("3.")
    addresses = {channel["address"] for channel in document["channels"].values()}
    assert STATUS_QUEUE in addresses and "luvat.{authorityCode}" in addresses
    bindings = json.dumps(document)
    assert STATUS_EXCHANGE in bindings
    for message in document["components"]["messages"].values():
        ref = message["payload"]["$ref"]
        assert (SCHEMAS.parent / ref).is_file(), ref
