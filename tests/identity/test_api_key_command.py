from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from luvat.identity.models import ApiClient, ApiKey

pytestmark = pytest.mark.django_db


def test_issue_rotate_list_and_revoke_from_the_command_line(capsys):
    call_command("api_key", "issue", "--authority", "tukes", "--client", "Tukes case system")
    first = capsys.readouterr().out.strip().splitlines()[-1]
    call_command("api_key", "issue", "--authority", "TUKES", "--client", "Tukes case system")
    second = capsys.readouterr().out.strip().splitlines()[-1]
    assert ApiClient.objects.get().authority_code == "TUKES"
    for token in (first, second):  # the old key stays valid for the grace period
        response = Client().get("/api/v1/identity/me", headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 200
    call_command("api_key", "list")
    listing = capsys.readouterr().out
    # prefix_keyid_secret: the key id is hex, the url-safe secret may itself hold "_"
    _, key_id, secret = first.split("_", 2)
    assert listing.count("TUKES") == 2 and key_id in listing and secret not in listing
    call_command("api_key", "revoke", key_id)
    assert ApiKey.objects.filter(revoked_at__isnull=False).count() == 1
    with pytest.raises(CommandError, match="no API key"):
        call_command("api_key", "revoke", "nosuchkey")
