from django.urls import path

from ogp_platform.urls import handler500, urlpatterns  # noqa: F401


def crash(request):
    raise RuntimeError("a bug")


urlpatterns = [*urlpatterns, path("crash/", crash)]
