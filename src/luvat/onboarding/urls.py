from django.urls import path

from luvat.onboarding.views import checklist, joinings, metrics, planning, statuses

app_name = "onboarding"

urlpatterns = [
    path("", joinings.index, name="index"),
    path("board/", joinings.board, name="board"),
    path("<slug:code>/", joinings.joining, name="joining"),
    path("<slug:code>/edit/", joinings.joining_update, name="joining-update"),
    path("<slug:code>/phase/", joinings.joining_move, name="joining-move"),
    path("<slug:code>/roles/", joinings.role_add, name="role-add"),
    path("<slug:code>/roles/<int:role_id>/remove/", joinings.role_remove, name="role-remove"),
    path("<slug:code>/services/", joinings.service_add, name="service-add"),
    path("<slug:code>/services/<slug:service_code>/", joinings.service, name="service"),
    path(
        "<slug:code>/services/<slug:service_code>/phase/",
        joinings.service_move,
        name="service-move",
    ),
    path(
        "<slug:code>/services/<slug:service_code>/mode/",
        joinings.service_mode,
        name="service-mode",
    ),
    path("<slug:code>/services/<slug:service_code>/pilot/", joinings.pilot_add, name="pilot-add"),
    path(
        "<slug:code>/services/<slug:service_code>/pilot/<int:company_id>/remove/",
        joinings.pilot_remove,
        name="pilot-remove",
    ),
    path(
        "<slug:code>/services/<slug:service_code>/feedback/",
        planning.feedback,
        name="feedback",
    ),
    path("<slug:code>/checklist/new/", checklist.item_add, name="item-add"),
    path("<slug:code>/checklist/<int:item_id>/", checklist.item_edit, name="item"),
    path("<slug:code>/checklist/<int:item_id>/evidence/", checklist.evidence, name="evidence"),
    path("<slug:code>/metrics/", metrics.metrics, name="metrics"),
    path("<slug:code>/statuses/", statuses.statuses, name="statuses"),
    path("<slug:code>/metrics.csv", metrics.metrics_csv, name="metrics-csv"),
    path("<slug:code>/metrics/baseline/", metrics.baseline, name="baseline"),
    path("<slug:code>/cost-benefit/", planning.cost_benefit, name="cost-benefit"),
    path(
        "<slug:code>/cost-benefit/<int:line_id>/remove/",
        planning.cost_benefit_remove,
        name="cost-benefit-remove",
    ),
    path("<slug:code>/risks/", planning.risks, name="risks"),
    path("<slug:code>/risks/<int:risk_id>/", planning.risk_edit, name="risk"),
]
