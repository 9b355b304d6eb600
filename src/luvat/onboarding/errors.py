"""Errors of onboarding's service functions; each names the field it concerns."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from luvat.onboarding.gate import Missing


class OnboardingError(Exception):
    """Bad input for a service function: ``field`` names the input, ``message`` is translated."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


class GoLiveRefused(OnboardingError):
    """The go-live gate refused: ``missing`` lists what is not done."""

    def __init__(self, missing: list[Missing], message: str) -> None:
        super().__init__("phase", message)
        self.missing = missing
