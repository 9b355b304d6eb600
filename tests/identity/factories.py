from __future__ import annotations

import factory
from django.contrib.auth import get_user_model

from luvat.identity.models import ApiClient, LocalMandate, OfficialRole, Person
from luvat.identity.services import api_key_issue

FESTIVAALI = "3141593-8"
TERAS = "2718282-8"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()

    username = factory.Sequence(lambda n: f"user-{n}")


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    user = factory.SubFactory(UserFactory)
    given_name = factory.Sequence(lambda n: f"Given{n}")
    family_name = "Tester"
    email = factory.Sequence(lambda n: f"person{n}@example.invalid")
    demo_key = factory.Sequence(lambda n: f"person-{n}")

    class Params:
        administrator = factory.Trait(
            is_service_admin=True,
            user=factory.SubFactory(UserFactory, is_staff=True, is_superuser=True),
        )


class LocalMandateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LocalMandate

    person = factory.SubFactory(PersonFactory)
    business_id = FESTIVAALI
    company_name = "Festivaali Oy"
    role = "TJ"


class OfficialRoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OfficialRole

    person = factory.SubFactory(PersonFactory)
    authority_code = "HKI-POLICE"


class ApiClientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ApiClient

    name = factory.Sequence(lambda n: f"Case system {n}")
    authority_code = "HKI-POLICE"


def api_token(client: ApiClient) -> str:
    from luvat.audit.actors import Actor

    return api_key_issue(client=client, actor=Actor.system("test")).token
