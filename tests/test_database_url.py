from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from luvat.config.database import parse_database_url, redact
from luvat.config.env import ConfigError

VAR = Path("/srv/luvat/var")


def test_empty_means_embedded_sqlite_under_var():
    db = parse_database_url("", var_dir=VAR)
    assert db["ENGINE"] == "django.db.backends.sqlite3"
    assert db["NAME"] == "/srv/luvat/var/luvat.sqlite3"


def test_sqlite_relative_and_absolute(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert parse_database_url("sqlite:///data/x.sqlite3", var_dir=VAR)["NAME"] == str(
        tmp_path / "data" / "x.sqlite3"
    )
    assert parse_database_url("sqlite:////abs/x.sqlite3", var_dir=VAR)["NAME"] == "/abs/x.sqlite3"
    assert parse_database_url("sqlite:///:memory:", var_dir=VAR)["NAME"] == ":memory:"


def test_postgres_url_with_options():
    db = parse_database_url(
        "postgres://luvat:s%40cret@db.example:6543/luvat_prod?sslmode=require",
        var_dir=VAR,
        conn_max_age=30,
    )
    assert db["ENGINE"] == "django.db.backends.postgresql"
    assert (db["NAME"], db["USER"], db["PASSWORD"], db["HOST"], db["PORT"]) == (
        "luvat_prod",
        "luvat",
        "s@cret",
        "db.example",
        "6543",
    )
    assert db["OPTIONS"] == {"sslmode": "require"}
    assert db["CONN_MAX_AGE"] == 30


@pytest.mark.parametrize(
    ("url", "fragment"),
    [
        ("mysql://root@localhost/luvat", "scheme 'mysql' is not supported"),
        ("postgres://localhost", "names no database"),
        ("localhost:5432", "is not a URL"),
        ("sqlite://host/file.db", "has no host"),
        ("postgres://u@h:notaport/db", "malformed"),
        ("sqlite:///", "names no SQLite file"),
    ],
)
def test_invalid_urls_give_one_line(url, fragment):
    with pytest.raises(ConfigError) as raised:
        parse_database_url(url, var_dir=VAR)
    assert fragment in str(raised.value)
    assert "\n" not in str(raised.value)


def test_errors_never_show_the_password():
    with pytest.raises(ConfigError) as raised:
        parse_database_url("postgres://u:topsecret@h:bad/db", var_dir=VAR)
    assert "topsecret" not in str(raised.value)
    assert redact("postgres://u:topsecret@h/db") == "postgres://u:***@h/db"


@given(st.text(max_size=60))
def test_any_text_either_parses_or_raises_config_error(url):
    try:
        db = parse_database_url(url, var_dir=VAR)
    except ConfigError as exc:
        assert "\n" not in str(exc)
    else:
        assert db["ENGINE"].startswith("django.db.backends.")
