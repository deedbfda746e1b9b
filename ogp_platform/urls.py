from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from . import views
from .accounts import views as account_views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("my-work/", views.my_work, name="dashboard"),
    path("i18n/setlang/", views.language_switch, name="set_language"),
    path("accounts/profile/", views.profile, name="profile"),
    path("accounts/", include("ogp_platform.accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("", include("ogp_platform.members.urls")),
    path("", include("action_plans.urls")),
    path("", include("commitments.urls")),
    path("", include("participation.urls")),
    path("", include("ogp_platform.audit.urls")),
    path("", include("use_cases.coproduction.urls")),
    # Before the admin's own URLs, so that its unlimited sign-in form is never reached.
    path("admin/login/", account_views.admin_login, name="admin_login"),
    path("admin/", admin.site.urls),
]

# No URL serves MEDIA_ROOT, not even with DEBUG on: uploaded files (drafts' evidence, letters of
# intent) are served only by views that check who may read them (ogp_platform/uploads.py).

handler400 = "ogp_platform.views.error_400"
handler403 = "ogp_platform.views.error_403"
handler404 = "ogp_platform.views.error_404"
handler429 = "ogp_platform.views.error_429"
handler500 = "ogp_platform.views.error_500"

admin.site.site_header = _("OGP Co-creation — administration")
admin.site.site_title = _("OGP Co-creation")
