"""Test-suite wide fixtures and the rule for tests that need a server.

Tests marked ``postgres``, ``amqp``, ``browser`` or ``xmlsec`` need something outside
Python. In the plain run (``python3 dev.py test``) they are skipped with a
visible reason when it is missing. ``.ci/run`` sets LUVAT_TEST_REQUIRE to the
ones that must be there, and then a missing one fails the test loudly.
"""

from __future__ import annotations

import os
import shutil

import hypothesis
import pytest
from django.db import connection

# Property tests are about results, not speed (speed is measured in bench/): no per-example
# deadline, which a loaded machine (xdist on two cores, CI) would break at random, and no
# example database carried between runs. Under CI the examples are derandomised, so a run
# is repeatable; elsewhere each run explores new examples.
hypothesis.settings.register_profile(
    "luvat",
    deadline=None,
    database=None,
    derandomize=os.environ.get("CI", "") == "true",
    print_blob=True,
)
hypothesis.settings.load_profile("luvat")

REQUIRED = {item.strip() for item in os.environ.get("LUVAT_TEST_REQUIRE", "").split(",") if item}
CHROMIUM = "/usr/bin/chromium"


def _missing(marker: str) -> str | None:
    """Why the server a marker names is not available, or None when it is."""
    if marker == "postgres":
        from django.conf import settings

        engine = settings.DATABASES["default"]["ENGINE"]
        return None if engine.endswith("postgresql") else "DATABASE_URL is not PostgreSQL"
    if marker == "amqp":
        return None if os.environ.get("LUVAT_AMQP_URL") else "LUVAT_AMQP_URL is not set"
    if marker == "xmlsec":
        if shutil.which("xmlsec1") is None:
            return "the xmlsec1 program is not installed; apt-get install xmlsec1"
        return None
    if marker == "browser":
        if not os.path.exists(CHROMIUM) and not shutil.which("chromium"):
            return f"Debian chromium is not installed ({CHROMIUM}); apt-get install chromium"
        try:
            import playwright  # noqa: F401
        except ImportError:
            return "the playwright package is not installed"
        return None
    return None


def pytest_runtest_setup(item: pytest.Item) -> None:
    for marker in ("postgres", "amqp", "browser", "xmlsec"):
        if item.get_closest_marker(marker) is None:
            continue
        reason = _missing(marker)
        if reason is None:
            continue
        if marker in REQUIRED:
            pytest.fail(f"required by LUVAT_TEST_REQUIRE but unavailable: {reason}", pytrace=False)
        pytest.skip(f"needs {marker}: {reason}")


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix: None) -> None:
    """Create the directory of a file-based SQLite test database (``var/`` is not in a
    fresh clone) once the per-worker suffix is on its name."""
    from pathlib import Path

    from django.conf import settings

    for alias in settings.DATABASES.values():
        name = (alias.get("TEST") or {}).get("NAME")
        if alias["ENGINE"].endswith("sqlite3") and name and name != ":memory:":
            Path(name).parent.mkdir(parents=True, exist_ok=True)


def _allow_truncate(sender, connection, **kwargs) -> None:  # type: ignore[no-untyped-def]
    """Django empties every table with TRUNCATE between transactional tests on PostgreSQL;
    the append-only tables refuse that unless the session says it is maintenance (audit
    migration 0005)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET luvat.allow_truncate = 'on'")


def pytest_configure(config: pytest.Config) -> None:
    from django.db.backends.signals import connection_created

    connection_created.connect(_allow_truncate, dispatch_uid="luvat-tests-allow-truncate")


@pytest.fixture
def vendor() -> str:
    return connection.vendor


@pytest.fixture(autouse=True)
def _default_language():
    """Every test starts in the default language: a request to /en/ leaves English active
    in the thread, which would otherwise leak into the next test."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)
