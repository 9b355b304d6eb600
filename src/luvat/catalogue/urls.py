from django.urls import path

from luvat.catalogue import views

app_name = "catalogue"

urlpatterns = [
    path("", views.authority_list, name="authority-list"),
    path("<str:code>/", views.authority_page, name="authority-detail"),
]
