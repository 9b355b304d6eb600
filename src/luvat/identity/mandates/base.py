"""The mandates interface.

A source is asked in up to three steps, because Suomi.fi e-Authorizations needs the person's
browser in between: ``start`` (may return a URL to send the browser to), ``finish`` (with the
code the browser brings back) and ``companies`` (any number of times, e.g. before every write).
The state a source needs between the steps is a small JSON-able dict kept in the session.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from django.utils.translation import gettext_lazy as _


class MandateError(Exception):
    """Asking for mandates failed; the message is safe to log (no identity codes)."""


class MandateUnavailable(MandateError):
    """The mandate service did not answer usefully; try again later."""


@dataclass(frozen=True)
class CompanyMandate:
    business_id: str
    name: str
    roles: tuple[str, ...] = ()  # register role codes and mandate issue codes that apply
    # What lets the person act: a register role code (TJ …) or the service layer's mandate
    # issue code (``LUVAT_EAUTH_MANDATE_ISSUE``).
    basis: str = ""

    @property
    def basis_label(self) -> str:
        """What the person acts under, in words (for the person; codes stay in the logs)."""
        from django.conf import settings

        code = self.basis or (self.roles[0] if self.roles else "")
        if code and code == settings.LUVAT_EAUTH_MANDATE_ISSUE:
            return str(_("the mandate “%(issue)s”") % {"issue": MANDATE_ISSUE_NAME})
        label = ROLE_LABELS.get(code)
        return f"{label} ({code})" if label else code


# The name of the service layer's own mandate issue in Suomi.fi e-Authorizations.
MANDATE_ISSUE_NAME = _("Dealing with permit and supervision matters")

# Company-register roles that e-Authorizations reports (YPA organizationRoles).
ROLE_LABELS = {
    "TJ": _("managing director"),
    "TIL": _("auditor"),
    "ELI": _("sole trader"),
    "S": _("partner"),
    "IS": _("liable partner"),
    "NIMKO": _("sole signatory"),
}


@dataclass(frozen=True)
class MandateStart:
    state: dict[str, Any] = field(default_factory=dict)
    redirect_url: str = ""  # where the browser must go next; empty when nothing is needed


class MandateSource(Protocol):
    name: str

    def start(
        self, *, person_id: int, national_id: str, return_url: str, request_id: str
    ) -> MandateStart: ...

    def finish(self, *, state: dict[str, Any], code: str, return_url: str) -> dict[str, Any]: ...

    def companies(self, *, person_id: int, state: dict[str, Any]) -> list[CompanyMandate]: ...

    def end(self, *, state: dict[str, Any]) -> None: ...
