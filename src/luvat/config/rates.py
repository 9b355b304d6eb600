"""Validation of the `LUVAT_RATE_*` values (read by settings; used by luvat.web.ratelimits)."""

from __future__ import annotations

import re

from django.core.exceptions import ImproperlyConfigured

# django-ratelimit's format: count/period, period an optional multiplier and s, m, h or d.
RATE = re.compile(r"^[1-9][0-9]*/([1-9][0-9]*)?[smhd]$")


def validate_rates(rates: dict[str, str]) -> dict[str, str]:
    """Refuse a malformed `LUVAT_RATE_*` at start-up rather than with a 500 later."""
    for scope, rate in rates.items():
        if not RATE.match(rate):
            raise ImproperlyConfigured(
                f"LUVAT_RATE_{scope.upper()}={rate!r}: expected count/period, e.g. 10/m or 100/5m"
            )
    return rates
