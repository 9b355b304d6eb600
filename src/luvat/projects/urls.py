from django.urls import path

from luvat.projects.views import applications, from_assessment, projects

app_name = "projects"
APP = "<uuid:project_id>/applications/<uuid:application_id>/"
urlpatterns = [
    path("", projects.project_list, name="list"),
    path("new/", projects.project_new, name="new"),
    path("blocking/", projects.blocking_list, name="blocking"),
    path(
        "from-assessment/<uuid:assessment_id>/",
        from_assessment.project_from_assessment,
        name="from-assessment",
    ),
    path("<uuid:project_id>/", projects.project_detail, name="detail"),
    path("<uuid:project_id>/shared-data/", projects.shared_data, name="shared-data"),
    path("<uuid:project_id>/shared-data/send/", projects.propagate, name="propagate"),
    path("<uuid:project_id>/services/", projects.add_services, name="services"),
    path("<uuid:project_id>/export.json", projects.export_json, name="export-json"),
    path("<uuid:project_id>/export.pdf", projects.export_pdf, name="export-pdf"),
    path("<uuid:project_id>/receipts/<uuid:submission_id>/", applications.receipt, name="receipt"),
    path(APP, applications.application_form, name="application"),
    path(f"{APP}submit/", applications.application_submit_view, name="submit"),
    path(f"{APP}drop/", applications.application_drop_view, name="drop"),
    path(f"{APP}redirect/", applications.application_redirect_view, name="redirect"),
    path(
        f"{APP}applied-elsewhere/",
        applications.application_applied_elsewhere_view,
        name="applied-elsewhere",
    ),
    path(f"{APP}attachments/", applications.attachment_upload, name="attachment-upload"),
    path(
        f"{APP}attachments/<uuid:attachment_id>/",
        applications.attachment_download,
        name="attachment",
    ),
    path(
        f"{APP}attachments/<uuid:attachment_id>/remove/",
        applications.attachment_remove_view,
        name="attachment-remove",
    ),
]
