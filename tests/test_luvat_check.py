"""`luvat check` and start-up refuse unsafe or broken configuration with one clear line."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

LUVAT = str(Path(sys.executable).parent / "luvat")
GOOD_SECRET = "k" * 10 + "Zq8-2xPm_9LwV7rT4yHc1NbJ6sGd3FfEaK0uIoQ5" + "e" * 10


def run_luvat(*args, tmp_path, **env):
    environ = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("LUVAT_", "DATABASE_URL", "DJANGO_"))
    }
    environ["LUVAT_VAR_DIR"] = str(tmp_path)
    environ.update(env)
    return subprocess.run(
        [LUVAT, *args], capture_output=True, text=True, env=environ, timeout=120, check=False
    )


def test_production_with_default_secret_is_refused(tmp_path):
    result = run_luvat(
        "check",
        tmp_path=tmp_path,
        LUVAT_ENV="production",
        DATABASE_URL=f"sqlite:///{tmp_path}/x.sqlite3",
        LUVAT_ALLOWED_HOSTS="luvat.example",
    )
    assert result.returncode != 0
    assert "luvat.E001" in result.stderr
    assert "LUVAT_SECRET_KEY is not set" in result.stderr
    assert "Traceback" not in result.stderr


def test_production_refuses_debug_demo_and_missing_database(tmp_path):
    result = run_luvat(
        "check",
        tmp_path=tmp_path,
        LUVAT_ENV="production",
        LUVAT_SECRET_KEY=GOOD_SECRET,
        LUVAT_DEBUG="true",
        LUVAT_DEMO="true",
    )
    assert result.returncode != 0
    for code in ("luvat.E003", "luvat.E004", "luvat.E005", "luvat.E006", "luvat.W002"):
        assert code in result.stderr


def production_identity_settings(tmp_path: Path) -> dict[str, str]:
    """What production log-in needs: our SAML key pair, the IdP's metadata, e-Authorizations."""
    from tests.identity.saml_idp import LocalIdp, make_key_pair

    sp_key, sp_cert = make_key_pair(tmp_path, "sp")
    idp = LocalIdp("suomifi", tmp_path, make_key_pair(tmp_path, "idp"))
    return {
        "LUVAT_PUBLIC_URL": "https://luvat.example",
        "LUVAT_SAML_KEY_FILE": str(sp_key),
        "LUVAT_SAML_CERT_FILE": str(sp_cert),
        "LUVAT_SAML_SUOMIFI_IDP_METADATA": str(idp.metadata_path),
        "LUVAT_EAUTH_CLIENT_ID": "luvat001",
        "LUVAT_EAUTH_API_KEY": "k" * 32,
        "LUVAT_EAUTH_OAUTH_PASSWORD": "p" * 32,
    }


@pytest.mark.xmlsec
def test_production_with_sound_settings_passes(tmp_path):
    result = run_luvat(
        "check",
        tmp_path=tmp_path,
        LUVAT_ENV="production",
        LUVAT_SECRET_KEY=GOOD_SECRET,
        LUVAT_IDENTITY_KEY=GOOD_SECRET,
        DATABASE_URL="postgres://luvat@127.0.0.1:1/luvat",
        LUVAT_ALLOWED_HOSTS="luvat.example",
        **production_identity_settings(tmp_path),
    )
    assert result.returncode == 0, result.stderr
    assert "luvat.W002" not in result.stderr


def test_development_defaults_pass(tmp_path):
    result = run_luvat("check", tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("mysql://root@localhost/x", "scheme 'mysql' is not supported"),
        ("not a url", "is not a URL"),
    ],
)
def test_invalid_database_url_stops_with_one_line(tmp_path, url, expected):
    result = run_luvat("migrate", tmp_path=tmp_path, DATABASE_URL=url)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("luvat: configuration error: DATABASE_URL")
    assert expected in lines[0]


def test_unreachable_database_stops_with_one_line(tmp_path):
    result = run_luvat(
        "migrate", tmp_path=tmp_path, DATABASE_URL="postgres://luvat@127.0.0.1:1/luvat"
    )
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("luvat: cannot connect to the database (postgresql 127.0.0.1/luvat)")
