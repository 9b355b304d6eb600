from django.urls import path

from luvat.identity import role_views, views

app_name = "identity"
urlpatterns = [
    path("login/", views.login_choice, name="login"),
    path("login/test/", views.test_idp, name="test-idp"),
    path("login/continue/", views.continue_after_login, name="continue"),
    path("logout/", views.logout_view, name="logout"),
    path("logout/everywhere/", views.logout_everywhere, name="logout-everywhere"),
    path("logged-out/", views.logged_out, name="logged-out"),
    path("account/", views.account, name="account"),
    path("account/choose/", views.choose, name="choose"),
    path("account/no-mandate/", views.no_mandate, name="no-mandate"),
    path("account/access-log/", views.access_log, name="access-log"),
    path("account/officials/", role_views.official_roles, name="official-roles"),
]
