from django.urls import path

from luvat.supervision import views

app_name = "supervision"
urlpatterns = [
    path("supervision/", views.company_page, name="company"),
    path("supervision/calendar/", views.rotate_feed, name="rotate-feed"),
    path("backoffice/supervision/", views.official_page, name="official"),
    path("backoffice/supervision/<int:event_id>/status/", views.set_status, name="set-status"),
    path(
        "backoffice/supervision/<int:event_id>/joint/confirm/",
        views.joint_confirm,
        name="joint-confirm",
    ),
    path(
        "backoffice/supervision/<int:event_id>/joint/findings/",
        views.joint_findings,
        name="joint-findings",
    ),
]
