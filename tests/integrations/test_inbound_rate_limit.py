"""The inbound status API (single and batch) is limited per authority (LUVAT_RATE_INBOUND)."""

from __future__ import annotations

import pytest

from tests.integrations.conftest import issue_api_key
from tests.integrations.test_status_event_batches import event, key, post_batch, post_one
from tests.ratelimit_asserts import assert_api_429

__all__ = ["key"]


@pytest.fixture
def low_rate(settings):
    settings.LUVAT_RATES = {**settings.LUVAT_RATES, "inbound": "2/d"}


def test_single_and_batch_events_share_the_authoritys_limit(client, submitted, key, low_rate):
    first = event(submitted, "received")
    assert post_one(client, first, key).status_code == 201
    assert post_batch(client, [event(submitted, "in_processing", 1)], key).status_code == 200
    assert_api_429(post_one(client, event(submitted, "decision", 2), key))
    assert_api_429(post_batch(client, [event(submitted, "decision", 2)], key))


def test_another_authority_is_not_affected(client, submitted, key, low_rate):
    for minutes in range(2):
        post_one(client, event(submitted, "received", minutes), key)
    assert_api_429(post_one(client, event(submitted, "received", 5), key))
    other_key = issue_api_key("ESPOO-RESCUE")
    answer = post_one(client, event(submitted, "received", 6), other_key)
    assert answer.status_code != 429
    assert answer.status_code in (401, 403, 404), answer.content[:300]
