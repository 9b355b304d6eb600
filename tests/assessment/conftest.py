import pytest
from django.db import transaction

from luvat.audit.actors import Actor
from luvat.catalogue.services import catalogue_load


class _Rollback(Exception):
    pass


@pytest.fixture(scope="module")
def shared_catalogue(django_db_setup, django_db_blocker):
    """The shipped catalogue loaded once per module, inside a transaction rolled back at the
    end; each test still runs in its own savepoint (not for transactional tests)."""
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
