"""Demo accounts. Only loaded when LUVAT_DEMO is on (never in production)."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from luvat.audit.actors import Actor
from luvat.audit.services import audit_record
from luvat.web.demo import DemoLogin, DemoResult

DEMO_ADMIN_USERNAME = "admin"
DEMO_ADMIN_PASSWORD = "luvat-demo"  # noqa: S105  (demo only; refused in production)

DEMO_LOGINS = (
    DemoLogin(
        role="Service-layer administrator (Django admin, /fi/admin/)",
        username=DEMO_ADMIN_USERNAME,
        how=f"password {DEMO_ADMIN_PASSWORD}",
    ),
)


def load_demo_accounts() -> DemoResult:
    User = get_user_model()
    if User.objects.filter(username=DEMO_ADMIN_USERNAME).exists():
        return DemoResult(created=0, existing=1)
    user = User.objects.create_superuser(
        username=DEMO_ADMIN_USERNAME, email="admin@example.invalid", password=DEMO_ADMIN_PASSWORD
    )
    audit_record(
        actor=Actor.system("load-demo"),
        action="user.create",
        target=user,
        details={"demo": True, "role": "administrator"},
    )
    return DemoResult(created=1, existing=0)
