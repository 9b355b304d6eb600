from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IdentityConfig(AppConfig):
    name = "luvat.identity"
    label = "identity"
    verbose_name = _("Identity and access")

    def ready(self) -> None:
        from django.contrib import admin

        from luvat.identity import checks  # noqa: F401  (registers the checks)
        from luvat.identity.demo import DEMO_LOGINS, load_demo_accounts
        from luvat.identity.forms import ThrottledAdminAuthenticationForm
        from luvat.web.demo import register_demo_loader

        register_demo_loader("accounts", load_demo_accounts, order=10, logins=DEMO_LOGINS)
        admin.site.login_form = ThrottledAdminAuthenticationForm
        from luvat.web.ratelimits import login_limited

        admin.site.login = login_limited(admin.site.login)  # type: ignore[method-assign]

        from django.db.models.signals import post_delete, post_save

        from luvat.identity.apiauth import forget_api_keys
        from luvat.identity.models import ApiClient, ApiKey

        for model in (ApiKey, ApiClient):
            post_save.connect(forget_api_keys, sender=model, dispatch_uid=f"forget-{model}")
            post_delete.connect(forget_api_keys, sender=model, dispatch_uid=f"gone-{model}")
