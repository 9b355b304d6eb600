"""Credentials for the schemathesis run (.ci/fuzz): prints shell assignments of the demo
authority system's API key and of a customer session (Maija acting for Festivaali Oy),
made in the database the server under test uses (after ``luvat load-demo``)."""

from __future__ import annotations

import os


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "luvat.config.settings")
    import django

    django.setup()
    from django.test import Client
    from django.utils.crypto import get_random_string

    from luvat.identity.demo import FESTIVAALI
    from luvat.identity.models import Person
    from luvat.integrations.demo import DEMO_TOKEN

    client = Client(HTTP_HOST="127.0.0.1")
    person = Person.objects.get(demo_key="maija")
    logged_in = client.post("/fi/login/test/", {"person": person.pk})
    assert logged_in.status_code == 302, logged_in.content
    client.get(logged_in["Location"])
    chosen = client.post("/fi/account/choose/", {"business_id": FESTIVAALI[0]})
    assert chosen.status_code == 302, chosen.content
    print(f"FUZZ_KEY={DEMO_TOKEN}")
    print(f"FUZZ_SESSION={client.cookies['sessionid'].value}")
    # The API checks the CSRF token of cookie sessions: any well-formed token, sent both as
    # the cookie and as X-CSRFToken, passes (Django's double-submit check).
    print(f"FUZZ_CSRF={get_random_string(32)}")


if __name__ == "__main__":
    main()
