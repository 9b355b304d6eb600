import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from luvat.identity.demo import DEMO_ADMIN_USERNAME

pytestmark = pytest.mark.django_db


def test_load_demo_is_idempotent_and_keeps_user_changes(capsys):
    call_command("load_demo")
    out = capsys.readouterr().out
    assert "demo accounts: 13 created" in out
    assert f"{DEMO_ADMIN_USERNAME} (password" in out

    admin = get_user_model().objects.get(username=DEMO_ADMIN_USERNAME)
    admin.email = "changed-by-user@example.invalid"
    admin.save()

    call_command("load_demo")
    assert "0 created, 13 already there" in capsys.readouterr().out
    admin.refresh_from_db()
    assert admin.email == "changed-by-user@example.invalid"
    assert get_user_model().objects.filter(username=DEMO_ADMIN_USERNAME).count() == 1


def test_load_demo_is_refused_when_demo_is_off(settings):
    settings.LUVAT_DEMO = False
    with pytest.raises(CommandError, match="LUVAT_DEMO=false"):
        call_command("load_demo")
    assert not get_user_model().objects.exists()
