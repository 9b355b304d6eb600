from django.urls import path

from luvat.assessment import views

app_name = "assessment"

urlpatterns = [
    path("", views.package_list, name="packages"),
    path("coverage/", views.coverage, name="coverage"),
    path("<slug:code>/", views.questionnaire, name="questionnaire"),
    path("results/<uuid:public_id>/", views.result, name="result"),
]
