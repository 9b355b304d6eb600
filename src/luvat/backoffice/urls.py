from django.urls import path

from luvat.backoffice import views

app_name = "backoffice"
APP = "backoffice/applications/<uuid:application_id>/"
urlpatterns = [
    path("backoffice/", views.inbox_view, name="inbox"),
    path(APP, views.application_view, name="application"),
    path(f"{APP}receive/", views.receive_view, name="receive"),
    path(f"{APP}start/", views.start_view, name="start"),
    path(f"{APP}supplement/", views.supplement_view, name="request-supplement"),
    path(
        f"{APP}supplement-received/",
        views.supplement_received_view,
        name="supplement-received",
    ),
    path(f"{APP}decision/", views.decision_view, name="decide"),
    path(f"{APP}close/", views.close_view, name="close"),
    path(
        f"{APP}changes/<uuid:change_id>/acknowledge/",
        views.acknowledge_view,
        name="acknowledge",
    ),
    path(
        f"{APP}attachments/<uuid:attachment_id>/",
        views.attachment_download,
        name="attachment",
    ),
    path(
        "decisions/<uuid:application_id>/document/",
        views.decision_document,
        name="decision-document",
    ),
    path("supplements/<uuid:request_id>/", views.supplement_answer_view, name="supplement"),
]
