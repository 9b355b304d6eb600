from django.urls import path

from luvat.discussion import views

app_name = "discussion"
urlpatterns = [
    path("", views.discussion_index, name="index"),
    path("projects/<uuid:project_id>/", views.project_discussion, name="project"),
    path("threads/<int:thread_id>/", views.thread_page, name="thread"),
    path("attachments/<int:attachment_id>/", views.attachment_download, name="attachment"),
]
