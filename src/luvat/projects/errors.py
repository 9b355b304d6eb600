"""Errors the project services raise; views and the API turn them into messages and problems."""

from __future__ import annotations

from luvat.projects.status import InvalidTransition

__all__ = [
    "AttachmentRejected",
    "IncompleteApplication",
    "InvalidServiceChoice",
    "InvalidSharedData",
    "InvalidTransition",
    "NotAllowedInMode",
    "NotOffered",
    "StaleVersion",
]


class StaleVersion(Exception):
    """The form was loaded from an older version: someone else changed it meanwhile."""

    def __init__(self, *, expected: int, current: int) -> None:
        super().__init__(f"version {expected} is stale; current version is {current}")
        self.expected = expected
        self.current = current


class FieldErrors(Exception):
    """Errors keyed by field name; every problem is named, not just the first."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__("; ".join(f"{field}: {' '.join(msgs)}" for field, msgs in errors.items()))
        self.errors = errors


class IncompleteApplication(FieldErrors):
    """The application cannot be submitted yet."""


class InvalidSharedData(FieldErrors):
    """One or more shared-data values are not valid for their vocabulary field."""


class InvalidServiceChoice(FieldErrors):
    """Services were chosen that the assessment did not suggest or the catalogue no longer has."""


class AttachmentRejected(Exception):
    """A file was refused; ``reason`` is a stable code and ``message`` a translated sentence."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason
        self.message = message


class NotAllowedInMode(Exception):
    """The action does not fit the service's joining mode (e.g. submitting a redirect service)."""


class NotOffered(NotAllowedInMode):
    """The authority pilots the service with selected companies only: others apply the ordinary
    way (the authority's own channels)."""
