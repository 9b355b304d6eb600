from __future__ import annotations

import factory.django
from django.utils import timezone
from factory.declarations import LazyFunction, Sequence, Trait

from luvat.notifications.models import AddressSource, EmailAddress, EmailState


class EmailAddressFactory(factory.django.DjangoModelFactory[EmailAddress]):
    """A confirmed address (``unverified=True``: the link not followed yet)."""

    class Meta:
        model = EmailAddress

    address = Sequence(lambda n: f"person{n}@company.example")
    source = AddressSource.ENTERED
    verified_at = LazyFunction(timezone.now)
    verification_state = EmailState.SENT

    class Params:
        unverified = Trait(verified_at=None, verification_state=EmailState.PENDING)
