from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("i18n/setlang/", views.language_switch, name="set_language"),
    path("accounts/profile/", views.profile, name="profile"),
    path("accounts/", include("allauth.urls")),
    path("", include("ogp_platform.members.urls")),
    path("", include("action_plans.urls")),
    path("", include("commitments.urls")),
    path("", include("participation.urls")),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

handler403 = "ogp_platform.views.error_403"
handler404 = "ogp_platform.views.error_404"
handler429 = "ogp_platform.views.error_429"
handler500 = "ogp_platform.views.error_500"

admin.site.site_header = _("OGP Co-creation — administration")
admin.site.site_title = _("OGP Co-creation")
