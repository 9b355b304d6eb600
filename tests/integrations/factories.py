"""Factories of the integrations app."""

from __future__ import annotations

import factory

from luvat.audit.actors import Actor
from luvat.integrations.endpoints import authority_endpoint_save
from luvat.integrations.models import AuthorityEndpoint, TransportKind

ADMIN = Actor.system("tests")


class AuthorityEndpointFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AuthorityEndpoint

    code = factory.Sequence(lambda n: f"endpoint-{n}")
    authority_code = factory.Sequence(lambda n: f"authority-{n}")
    transport = TransportKind.HTTP
    url = "http://127.0.0.1:9/receive"
    read_timeout_seconds = 5.0

    @classmethod
    def _create(cls, model_class, *args, signing_secret: str = "", **kwargs):
        endpoint = model_class(*args, **kwargs)
        return authority_endpoint_save(
            endpoint=endpoint, actor=ADMIN, signing_secret=signing_secret or None
        )
