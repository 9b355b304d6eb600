"""SAML endpoints: outside the language prefix, so that the URLs registered at the IdPs are
stable."""

from django.urls import path

from luvat.identity.saml import views

app_name = "saml"
urlpatterns = [
    path("<slug:idp>/metadata/", views.metadata, name="metadata"),
    path("<slug:idp>/login/", views.login, name="login"),
    path("<slug:idp>/acs/", views.acs, name="acs"),
    path("<slug:idp>/sls/", views.sls, name="sls"),
]
