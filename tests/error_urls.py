from django.conf.urls.i18n import i18n_patterns
from django.urls import path

from luvat.config.urls import handler404, handler500  # noqa: F401
from luvat.config.urls import urlpatterns as real_urlpatterns


def boom(request):
    raise RuntimeError("deliberate failure")


urlpatterns = [*real_urlpatterns, *i18n_patterns(path("boom/", boom))]
