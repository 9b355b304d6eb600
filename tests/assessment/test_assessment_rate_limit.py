"""`POST /api/v1/assessments` is limited per client address (LUVAT_RATE_ASSESSMENT)."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.assessment.test_assessment_api import EVENT, post
from tests.ratelimit_asserts import assert_api_429

BODY = {"package": "event", "answers": EVENT, "language": "en"}


@pytest.fixture
def low_rate(settings):
    settings.LUVAT_RATES = {**settings.LUVAT_RATES, "assessment": "2/d"}


def test_assessments_over_the_limit_get_429_and_other_addresses_do_not(client, catalogue, low_rate):
    assert post(client, BODY).status_code == 201
    assert post(client, BODY).status_code == 201
    assert_api_429(post(client, BODY))
    other = Client(REMOTE_ADDR="192.0.2.7")
    assert post(other, BODY).status_code == 201


def test_limits_can_be_switched_off(client, catalogue, low_rate, settings):
    settings.RATELIMIT_ENABLE = False
    for _ in range(4):
        assert post(client, BODY).status_code == 201
