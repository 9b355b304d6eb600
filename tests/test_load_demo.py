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


def test_demo_history_belongs_to_its_own_companies_not_the_demo_customers():
    from luvat.identity.models import LocalMandate
    from luvat.onboarding.demo_history import COMPANIES, HISTORY_PROJECT
    from luvat.projects.models import Project

    call_command("load_demo")
    history = Project.objects.filter(name__startswith=HISTORY_PROJECT)
    assert history.exists()
    assert set(history.values_list("business_id", flat=True)) <= {b for b, _ in COMPANIES}
    customers = set(LocalMandate.objects.values_list("business_id", flat=True))
    assert not Project.objects.filter(
        business_id__in=customers, name__startswith=HISTORY_PROJECT
    ).exists()
