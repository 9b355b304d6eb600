"""Errors the inforequest services raise; views and the API turn them into messages."""

from __future__ import annotations

from luvat.projects.errors import FieldErrors


class InvalidInforequest(FieldErrors):
    """The question cannot be sent as given; every problem is named by field."""


class AlreadyAnswered(Exception):
    """The authority has answered already; an answer is kept as it was given."""


class NotAnswered(Exception):
    """Only an answered inforequest can become an application."""
