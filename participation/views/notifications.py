"""Notification emails: the settings page (how often, and what one follows) and the one-click
unsubscribe page every email links to.

The unsubscribe link works without signing in: its token is the proof. GET only shows a
button (mail clients' link scanners open links, and must not unsubscribe anyone); POST
unsubscribes. Mail clients that honour `List-Unsubscribe-Post` (RFC 8058) POST
"List-Unsubscribe=One-Click" to the same address without any page or cookie, which is why that
view is exempt from CSRF: the secret token in the URL is what a forged request cannot know.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from ogp_platform.viewtools import add_service_errors, guarded, require

from .. import selectors
from ..forms import NotificationSettingsForm
from ..models import NotificationSetting
from ..services import notifications as services


@guarded
@require_http_methods(["GET", "POST"])
def settings_page(request):
    """How often the signed-in user hears by email, and what they follow."""
    require(request, request.user.is_authenticated)
    form = NotificationSettingsForm(
        request.POST or None, initial={"frequency": services.frequency_of(request.user)}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.notification_settings_update(
                user=request.user, frequency=form.cleaned_data["frequency"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your notification settings have been saved."))
            return redirect("participation:notifications_settings")
    return render(
        request,
        "participation/notifications/settings.html",
        {
            "form": form,
            "follows": selectors.follows_of(request.user),
            "here": reverse("participation:notifications_settings"),
        },
    )


# Deliberately exempt from CSRF: mail clients send the one-click unsubscribe (RFC 8058) as a
# bare POST with no cookie and no form token. The unguessable token in the URL authenticates
# the request, and all it can do is turn notification emails off.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    """GET: a page with one button; POST: no more notification emails for the token's owner
    (404 for an unknown token)."""
    setting = get_object_or_404(NotificationSetting, unsubscribe_token=token)
    if request.method == "POST":
        setting = services.notifications_unsubscribe(token=token)
        if request.POST.get("List-Unsubscribe") == "One-Click":
            # The mail client's request: answer it plainly, without a redirect.
            return render(
                request,
                "participation/notifications/unsubscribe.html",
                {"setting": setting, "token": token},
            )
        messages.success(request, _("You will receive no more notification emails."))
        return redirect("participation:notifications_unsubscribe", token=token)
    return render(
        request,
        "participation/notifications/unsubscribe.html",
        {"setting": setting, "token": token},
    )
