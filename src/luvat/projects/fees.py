"""The fees of a project's permits: what is known as a fixed sum, what goes by a tariff, and
what no source gives. Only sums the catalogue publishes (``Service.fee_amount_eur``, with its
source) are added up; a fee that varies is never turned into a figure."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from luvat.catalogue.models import Service


@dataclass(frozen=True)
class FeeTotal:
    known_sum: Decimal
    fixed: list[Service] = field(default_factory=list)  # a fixed sum is published
    by_tariff: list[Service] = field(default_factory=list)  # a fee text, no fixed sum
    not_found: list[Service] = field(default_factory=list)  # no fee information found

    @property
    def complete(self) -> bool:
        """Every fee is a known sum: the total is the whole cost."""
        return not self.by_tariff and not self.not_found


def fee_total(services: Iterable[Service]) -> FeeTotal:
    """The sum of the known fixed fees of ``services`` and which fees are not known as sums."""
    fixed, by_tariff, not_found = [], [], []
    for service in services:
        if service.fee_amount_eur is not None:
            fixed.append(service)
        elif service.fee_fi or service.fee_sv or service.fee_en:
            by_tariff.append(service)
        else:
            not_found.append(service)
    total = sum((s.fee_amount_eur for s in fixed if s.fee_amount_eur is not None), Decimal(0))
    return FeeTotal(known_sum=total, fixed=fixed, by_tariff=by_tariff, not_found=not_found)
