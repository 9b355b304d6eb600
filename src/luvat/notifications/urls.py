from django.urls import path

from luvat.notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.notification_list_view, name="list"),
    path("read/", views.mark_read, name="mark-read"),
    path("<int:notification_id>/", views.open_notification, name="open"),
    path("preferences/", views.preferences_view, name="preferences"),
    path("email/", views.email_view, name="email"),
    path("email/verify/<str:token>/", views.email_verify_view, name="email-verify"),
    path("undelivered/", views.dead_letter_view, name="dead-letters"),
    path("suomifi-messages/", views.messages_channel_view, name="messages-channel"),
]
