"""Forms of the identity pages. Errors are shown next to the field, in the user's language."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.utils import formats
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext_lazy as _
from stdnum.exceptions import ValidationError as StdnumValidationError
from stdnum.fi import hetu

from luvat.identity.companies import InvalidBusinessId, normalise_business_id
from luvat.identity.models import Person
from luvat.identity.services import national_id_digest
from luvat.identity.throttle import throttle_failure, throttle_locked_until, throttle_reset
from luvat.web.proxies import client_address

TEST_IDP_SCOPE = "test-idp"
ADMIN_SCOPE = "admin-login"


def _locked_message(until: Any) -> str:
    return str(
        _("Too many failed attempts. Log-in is locked until %(time)s.")
        % {"time": formats.time_format(until.astimezone(), "H:i")}
    )


def _person_label(person: Person) -> str:
    return person.full_name


class TestIdpForm(forms.Form):
    person = forms.ModelChoiceField(
        queryset=Person.objects.none(),
        widget=forms.RadioSelect,
        label=_("Log in as"),
        empty_label=None,
        error_messages={"required": _("Choose the person you want to log in as.")},
    )
    access_code = forms.CharField(
        label=_("Access code of the test service"),
        required=False,
        widget=forms.PasswordInput,
    )

    def __init__(self, *args: Any, request: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.request = request
        person_field = self.fields["person"]
        if not isinstance(person_field, forms.ModelChoiceField):  # pragma: no cover
            raise TypeError("person must be a model choice")
        person_field.queryset = Person.objects.filter(demo_key__isnull=False).order_by("demo_key")
        person_field.label_from_instance = _person_label  # type: ignore[method-assign,assignment]
        if not settings.LUVAT_TEST_IDP_ACCESS_CODE:
            del self.fields["access_code"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        expected = settings.LUVAT_TEST_IDP_ACCESS_CODE
        if not expected:
            return cleaned
        keys = [client_address(self.request)]
        until = throttle_locked_until(scope=TEST_IDP_SCOPE, keys=keys)
        if until is not None:
            raise forms.ValidationError(_locked_message(until), code="locked")
        if not constant_time_compare(cleaned.get("access_code") or "", expected):
            throttle_failure(scope=TEST_IDP_SCOPE, keys=keys)
            self.add_error("access_code", _("The access code is wrong."))
        return cleaned


class ThrottledAdminAuthenticationForm(AdminAuthenticationForm):
    """The admin password log-in, locked after repeated failures, per account and per address
    separately: ``LUVAT_LOGIN_MAX_FAILURES`` for one user name (from anywhere) locks that
    account only; ``LUVAT_LOGIN_MAX_FAILURES_PER_ADDRESS`` from one client address (whatever
    the user names) locks that address only. The address is the real client's behind a
    trusted proxy (luvat.web.proxies)."""

    def clean(self) -> dict[str, Any]:
        account = f"user:{self.data.get('username', '')}"
        address = f"ip:{client_address(self.request)}"
        until = throttle_locked_until(scope=ADMIN_SCOPE, keys=[account, address])
        if until is not None:
            raise forms.ValidationError(_locked_message(until), code="locked")
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            throttle_failure(
                scope=ADMIN_SCOPE, keys=[account], limit=settings.LUVAT_LOGIN_MAX_FAILURES
            )
            throttle_failure(
                scope=ADMIN_SCOPE,
                keys=[address],
                limit=settings.LUVAT_LOGIN_MAX_FAILURES_PER_ADDRESS,
            )
            raise
        throttle_reset(scope=ADMIN_SCOPE, keys=[account])
        return cleaned


class ChooseForm(forms.Form):
    business_id = forms.CharField(required=False, max_length=20)
    authority_code = forms.CharField(required=False, max_length=40)
    administrator = forms.BooleanField(required=False)

    def clean_business_id(self) -> str:
        value = str(self.cleaned_data.get("business_id") or "").strip()
        if not value:
            return ""
        try:
            return normalise_business_id(value)
        except InvalidBusinessId:
            raise forms.ValidationError(
                _("%(value)s is not a valid business ID (for example 1234567-1).")
                % {"value": value[:20]}
            ) from None

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        chosen = [
            name for name in ("business_id", "authority_code", "administrator") if cleaned.get(name)
        ]
        if len(chosen) != 1 and not self.errors:
            raise forms.ValidationError(_("Choose one company or authority."))
        return cleaned


def national_id_digest_or_none(value: str) -> str | None:
    """The digest of a valid personal identity code, or None for any other text."""
    try:
        code = hetu.validate(value.strip().upper(), allow_temporary=True)
    except StdnumValidationError:
        return None
    return national_id_digest(code)


class PersonAdminForm(forms.ModelForm[Person]):
    """Lets an administrator register a person by identity code (stored only as a digest)."""

    national_id = forms.CharField(
        label=_("personal identity code"),
        required=False,
        help_text=_(
            "Only to recognise the person at their next log-in; the code itself is not stored."
        ),
    )

    class Meta:
        model = Person
        fields = [
            "given_name",
            "family_name",
            "email",
            "home_organisation",
            "is_service_admin",
            "address_disclosure_ban",
        ]

    def clean_national_id(self) -> str | None:
        value = str(self.cleaned_data.get("national_id") or "")
        if not value.strip():
            return None
        digest = national_id_digest_or_none(value)
        if digest is None:
            raise forms.ValidationError(_("This is not a valid personal identity code."))
        others = Person.objects.filter(national_id_digest=digest).exclude(pk=self.instance.pk)
        if others.exists():
            raise forms.ValidationError(_("A person with this identity code already exists."))
        return digest

    def save(self, commit: bool = True) -> Person:
        person = super().save(commit=False)
        digest = self.cleaned_data.get("national_id")
        if digest:
            person.national_id_digest = digest
        if commit:
            person.save()
        return person
