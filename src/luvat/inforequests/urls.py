from django.urls import path

from luvat.inforequests import views

app_name = "inforequests"
ONE = "<uuid:inforequest_id>/"
urlpatterns = [
    path("", views.official_list_view, name="official-list"),
    path("projects/<uuid:project_id>/", views.project_list_view, name="project"),
    path("projects/<uuid:project_id>/ask/", views.ask_view, name="ask"),
    path(
        "from-assessment/<uuid:assessment_id>/",
        views.ask_from_assessment_view,
        name="from-assessment",
    ),
    path(ONE, views.detail_view, name="detail"),
    path(f"{ONE}answers/<uuid:addressee_id>/", views.answer_view, name="answer"),
    path(f"{ONE}answers/<uuid:addressee_id>/apply/", views.convert_view, name="convert"),
    path(f"{ONE}attachments/<uuid:attachment_id>/", views.attachment_view, name="attachment"),
]
