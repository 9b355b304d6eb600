from __future__ import annotations

import factory.django
from django.contrib.auth.models import User
from factory.declarations import Sequence, SubFactory, Trait

from luvat.identity.models import ApiClient, LocalMandate, OfficialRole, Person
from luvat.identity.services import api_key_issue

FESTIVAALI = "3141593-8"
TERAS = "2718282-8"


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User

    username = Sequence(lambda n: f"user-{n}")


class PersonFactory(factory.django.DjangoModelFactory[Person]):
    class Meta:
        model = Person

    user = SubFactory(UserFactory)
    given_name = Sequence(lambda n: f"Given{n}")
    family_name = "Tester"
    email = Sequence(lambda n: f"person{n}@example.invalid")
    demo_key = Sequence(lambda n: f"person-{n}")

    class Params:
        administrator = Trait(
            is_service_admin=True,
            user=SubFactory(UserFactory, is_staff=True, is_superuser=True),
        )


class LocalMandateFactory(factory.django.DjangoModelFactory[LocalMandate]):
    class Meta:
        model = LocalMandate

    person = SubFactory(PersonFactory)
    business_id = FESTIVAALI
    company_name = "Festivaali Oy"
    role = "TJ"


class OfficialRoleFactory(factory.django.DjangoModelFactory[OfficialRole]):
    class Meta:
        model = OfficialRole

    person = SubFactory(PersonFactory)
    authority_code = "HKI-POLICE"


class ApiClientFactory(factory.django.DjangoModelFactory[ApiClient]):
    class Meta:
        model = ApiClient

    name = Sequence(lambda n: f"Case system {n}")
    authority_code = "HKI-POLICE"


def api_token(client: ApiClient) -> str:
    from luvat.audit.actors import Actor

    return api_key_issue(client=client, actor=Actor.system("test")).token
