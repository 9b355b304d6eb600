from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path

from luvat.config.api import api
from luvat.identity import views as identity_views
from luvat.supervision.feed import calendar_feed
from luvat.web import health, metrics, views

urlpatterns: list[URLPattern | URLResolver] = [
    path("livez", health.livez, name="livez"),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("metrics", metrics.metrics, name="metrics"),
    path("api/v1/", api.urls),
    path("calendar/<str:token>.ics", calendar_feed, name="calendar-feed"),
    # Addresses registered at national services stay the same in every language.
    path("saml/", include("luvat.identity.saml.urls")),
    path(
        "identity/mandates/callback/",
        identity_views.mandates_callback,
        name="mandates-callback",
    ),
]

urlpatterns += i18n_patterns(
    path("", views.home, name="home"),
    path("session/keep-alive/", views.session_keep_alive, name="session-keep-alive"),
    path("admin/", admin.site.urls),
    path("", include("luvat.identity.urls")),
    path("assessment/", include("luvat.assessment.urls")),
    path("authorities/", include("luvat.catalogue.urls")),
    path("projects/", include("luvat.projects.urls")),
    path("", include("luvat.backoffice.urls")),
    path("", include("luvat.supervision.urls")),
    path("discussion/", include("luvat.discussion.urls")),
    path("notifications/", include("luvat.notifications.urls")),
    path("onboarding/", include("luvat.onboarding.urls")),
    path("inforequests/", include("luvat.inforequests.urls")),
    path("lead-times/", include("luvat.onboarding.public_urls")),
    prefix_default_language=True,
)

handler400 = "luvat.web.views.bad_request"
handler403 = "luvat.web.views.permission_denied"
handler404 = "luvat.web.views.page_not_found"
handler500 = "luvat.web.views.server_error"
