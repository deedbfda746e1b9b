from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseServerError, JsonResponse
from django.shortcuts import redirect, render
from django.template import loader
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from django.views.i18n import set_language

from . import dashboard
from .accounts.forms import ProfileForm
from .health import run_checks
from .viewtools import requested_next


def home(request):
    return render(request, "home.html")


@never_cache
@login_required
@require_GET
def my_work(request):
    """My work: what the signed-in person works on and what waits for them, in the panels the
    apps registered (`ogp_platform.dashboard`). Personal: never cached, by the page cache or by
    anyone on the way."""
    sections = dashboard.sections_for(request)
    return render(
        request,
        "dashboard/my_work.html",
        {
            "sections": sections,
            "starting_points": [] if sections else dashboard.starting_points_for(request),
        },
    )


@never_cache
@require_GET
def healthz(request):
    """Readiness of the web process and its services: 200 while it can serve pages ("ok", or
    "degraded" when Redis is down), 503 when the database is unreachable."""
    status, checks = run_checks()
    return JsonResponse(
        {"status": status, "checks": checks}, status=503 if status == "error" else 200
    )


@require_POST
def language_switch(request):
    """Django's set_language, plus: a signed-in user's choice becomes their preferred language,
    and the way back is a path of this site (the `next` helper's rule, not Django's host check,
    which lets `http://this-host//elsewhere` through)."""
    response = set_language(request)
    if response.status_code == 302:
        response["Location"] = requested_next(request, "/")
    language = request.POST.get("language")
    if (
        request.user.is_authenticated
        and language in dict(settings.LANGUAGES)
        and request.user.preferred_language != language
    ):
        request.user.preferred_language = language
        request.user.save(update_fields=["preferred_language"])
    return response


@login_required
def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your profile has been saved."))
        response = redirect("profile")
        # The profile's language is an explicit choice too: apply it at once.
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            form.instance.preferred_language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
        return response
    return render(request, "accounts/profile.html", {"form": form})


def error_403(request, exception=None):
    return render(request, "403.html", status=403)


def error_400(request, exception=None):
    return render(request, "400.html", status=400)


def error_404(request, exception=None):
    return render(request, "404.html", status=404)


def error_429(request, exception=None):
    return render(request, "429.html", status=429)


def error_500(request):
    # Rendered without the context processors: they may be what failed.
    return HttpResponseServerError(loader.get_template("500.html").render({"request": None}))
