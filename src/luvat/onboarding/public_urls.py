"""Open pages of the onboarding context (no log-in): the public lead times."""

from django.urls import path

from luvat.onboarding.views import leadtimes

app_name = "leadtimes"

urlpatterns = [
    path("", leadtimes.page, name="page"),
    path("lead-times.csv", leadtimes.page_csv, name="csv"),
]
