"""`luvat check` refuses unsafe identity settings; the demo offers the people it promises."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from luvat.identity.models import ApiKey, LocalMandate, OfficialRole, Person
from tests.test_luvat_check import GOOD_SECRET, run_luvat

PRODUCTION = {
    "LUVAT_ENV": "production",
    "LUVAT_SECRET_KEY": GOOD_SECRET,
    "DATABASE_URL": "postgres://luvat@127.0.0.1:1/luvat",
    "LUVAT_ALLOWED_HOSTS": "luvat.example",
    "LUVAT_PUBLIC_URL": "https://luvat.example",
}


def test_test_idp_in_production_fails_luvat_check(tmp_path):
    result = run_luvat("check", tmp_path=tmp_path, **PRODUCTION, LUVAT_LOGIN_BACKENDS="test")
    assert result.returncode != 0
    assert "luvat.E103" in result.stderr
    assert "test identity provider is enabled in production" in result.stderr


def test_production_needs_saml_keys_metadata_and_e_authorizations(tmp_path):
    result = run_luvat("check", tmp_path=tmp_path, **PRODUCTION)
    assert result.returncode != 0
    assert "suomifi log-in: LUVAT_SAML_KEY_FILE does not name a readable file" in result.stderr
    assert "LUVAT_EAUTH_API_KEY is empty" in result.stderr


def test_unknown_login_method_is_refused(tmp_path):
    result = run_luvat("check", tmp_path=tmp_path, LUVAT_LOGIN_BACKENDS="test,facebook")
    assert result.returncode != 0
    assert "unknown log-in methods: facebook" in result.stderr


@pytest.mark.django_db
def test_demo_has_two_companies_three_authorities_and_an_administrator():
    call_command("load_demo")
    companies = set(LocalMandate.objects.values_list("business_id", flat=True))
    authorities = set(OfficialRole.objects.values_list("authority_code", flat=True))
    assert len(companies) >= 2
    assert {"HKI-POLICE", "HKI-RESCUE", "HKI-ENV", "TRE-ENV", "LVV", "TUKES"} <= authorities
    assert Person.objects.filter(is_service_admin=True, user__is_staff=True).exists()
    # The police and Tukes case systems, and the rescue department's simulated one.
    assert ApiKey.objects.count() == 3
    call_command("load_demo")
    assert Person.objects.filter(demo_key__isnull=False).count() == 10


def test_the_identity_digest_survives_a_rotated_session_key_when_it_has_its_own(settings):
    from luvat.identity.services import national_id_digest

    settings.LUVAT_IDENTITY_KEY = ""
    settings.SECRET_KEY = "a" * 60
    tied = national_id_digest("010280-952L")
    settings.SECRET_KEY = "b" * 60
    assert national_id_digest("010280-952L") != tied  # without its own key, rotation cuts
    settings.LUVAT_IDENTITY_KEY = "identity-key-" + "c" * 50
    own = national_id_digest("010280-952l ")
    settings.SECRET_KEY = "d" * 60
    assert national_id_digest("010280-952L") == own
