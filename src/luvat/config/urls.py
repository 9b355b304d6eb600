from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path

from luvat.config.api import api
from luvat.web import health, views

urlpatterns: list[URLPattern | URLResolver] = [
    path("livez", health.livez, name="livez"),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("api/v1/", api.urls),
]

urlpatterns += i18n_patterns(
    path("", views.home, name="home"),
    path("admin/", admin.site.urls),
    path("projects/", include("luvat.projects.urls")),
    prefix_default_language=True,
)

handler400 = "luvat.web.views.bad_request"
handler403 = "luvat.web.views.permission_denied"
handler404 = "luvat.web.views.page_not_found"
handler500 = "luvat.web.views.server_error"
