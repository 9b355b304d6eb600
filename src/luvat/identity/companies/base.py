"""The company register interface, its value types and errors."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from stdnum.exceptions import ValidationError
from stdnum.fi import ytunnus


class CompanyRegisterError(Exception):
    """A look-up failed; the message is safe to show to a person."""


class InvalidBusinessId(CompanyRegisterError, ValueError):
    """The text is not a valid Finnish business ID (checked before any look-up)."""


class CompanyNotFound(CompanyRegisterError):
    """The register has no company with this business ID."""


class RegisterUnavailable(CompanyRegisterError):
    """The register did not answer usefully (network, 429, 5xx, unexpected data)."""


def normalise_business_id(value: str) -> str:
    """``1234567-8`` from any spacing of a valid business ID; InvalidBusinessId otherwise."""
    try:
        return str(ytunnus.format(ytunnus.validate(value)))
    except ValidationError:
        raise InvalidBusinessId(f"{value!r} is not a valid Finnish business ID") from None


@dataclass(frozen=True)
class Address:
    street: str = ""
    post_code: str = ""
    city: str = ""

    def __str__(self) -> str:
        return ", ".join(
            part for part in (self.street, f"{self.post_code} {self.city}".strip()) if part
        )


@dataclass(frozen=True)
class Company:
    business_id: str
    name: str
    form: dict[str, str] = field(default_factory=dict)  # language code -> description
    address: Address | None = None
    main_line_of_business_code: str = ""
    main_line_of_business: dict[str, str] = field(default_factory=dict)  # language -> text
    active: bool = True

    def form_in(self, language: str) -> str:
        return _pick(self.form, language)

    def line_of_business_in(self, language: str) -> str:
        return _pick(self.main_line_of_business, language)


def _pick(texts: dict[str, str], language: str) -> str:
    for code in (language, "fi", "en", "sv"):
        if texts.get(code):
            return texts[code]
    return ""


class CompanyRegister(Protocol):
    name: str

    def get(self, business_id: str) -> Company:
        """The company; InvalidBusinessId, CompanyNotFound or RegisterUnavailable otherwise."""
        ...
