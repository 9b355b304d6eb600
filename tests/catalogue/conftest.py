import pytest

from luvat.audit.actors import Actor
from luvat.catalogue.services import catalogue_load


@pytest.fixture
def catalogue(db):
    """The shipped catalogue, loaded into the test database."""
    return catalogue_load(actor=Actor.system("test"))
