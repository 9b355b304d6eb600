from django.urls import path

from luvat.notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.notification_list_view, name="list"),
    path("read/", views.mark_read, name="mark-read"),
    path("<int:notification_id>/", views.open_notification, name="open"),
    path("preferences/", views.preferences_view, name="preferences"),
]
