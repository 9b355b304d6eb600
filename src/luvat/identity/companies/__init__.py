"""Company register adapters: company name, form, address and main line of business by business
ID. ``company_register()`` returns the backend chosen by ``LUVAT_COMPANY_REGISTER``."""

from __future__ import annotations

from django.conf import settings

from luvat.identity.companies.base import (
    Company,
    CompanyNotFound,
    CompanyRegister,
    CompanyRegisterError,
    InvalidBusinessId,
    RegisterUnavailable,
    normalise_business_id,
)

__all__ = [
    "Company",
    "CompanyNotFound",
    "CompanyRegister",
    "CompanyRegisterError",
    "InvalidBusinessId",
    "RegisterUnavailable",
    "company_register",
    "normalise_business_id",
]


def company_register() -> CompanyRegister:
    """The configured company register backend."""
    if settings.LUVAT_COMPANY_REGISTER == "ytj":
        from luvat.identity.companies.ytj import YtjCompanyRegister

        return YtjCompanyRegister(
            base_url=settings.LUVAT_YTJ_URL, timeout=settings.LUVAT_HTTP_TIMEOUT_SECONDS
        )
    from luvat.identity.companies.local import LocalCompanyRegister

    return LocalCompanyRegister()
