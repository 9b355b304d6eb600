from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def finnish_by_default():
    """Service calls speak the default language, as in a fresh request thread; an earlier
    test's request may have left another language active in this thread."""
    from django.utils import translation

    with translation.override("fi"):
        yield


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Attachments go to a per-test folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def vocab(db):
    from tests.projects.factories import MunicipalityFactory, vocabulary

    MunicipalityFactory.create()
    MunicipalityFactory.create(code="837", name_fi="Tampere", name_sv="Tammerfors")
    return vocabulary()


class _Rollback(Exception):
    pass


@pytest.fixture(scope="module")
def shared_catalogue(django_db_setup, django_db_blocker):
    """The shipped catalogue loaded once per module inside a transaction rolled back at the end;
    each test still runs in its own savepoint (not for transactional tests)."""
    from django.db import transaction

    from luvat.audit.actors import Actor
    from luvat.catalogue.services import catalogue_load

    with django_db_blocker.unblock():
        try:
            with transaction.atomic():
                yield catalogue_load(actor=Actor.system("test"))
                raise _Rollback
        except _Rollback:
            pass


@pytest.fixture
def catalogue(shared_catalogue, db):
    return shared_catalogue


@pytest.fixture
def event_assessment(catalogue):
    """The event package assessed for a 300-person outdoor concert in Helsinki: three services
    definitely needed, one possibly."""
    from datetime import timedelta

    from django.utils import timezone

    from luvat.assessment.services import assessment_create
    from luvat.audit.actors import Actor
    from luvat.catalogue.models import ServicePackage
    from tests.assessment.answers import ANSWERS

    answers = {
        **ANSWERS["event"],
        "start_date": (timezone.localdate() + timedelta(days=90)).isoformat(),
    }
    return assessment_create(
        package=ServicePackage.objects.get(code="event"),
        answers=answers,
        language="fi",
        actor=Actor.anonymous(),
    )
