from django.urls import path

from luvat.catalogue import editing_views, views

app_name = "catalogue"

urlpatterns = [
    path("", views.authority_list, name="authority-list"),
    path("changes/", editing_views.change_list, name="changes"),
    path("versions/", editing_views.version_list, name="versions"),
    path("services/<str:code>/edit/", editing_views.service_edit, name="service-edit"),
    path("<str:code>/edit/", editing_views.authority_edit, name="authority-edit"),
    path("<str:code>/", views.authority_page, name="authority-detail"),
]
