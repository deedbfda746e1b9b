"""The person's own account: download everything the platform holds about them, and delete the
account. The profile page itself is `ogp_platform.views.profile`; allauth serves the rest
(sign-in, addresses, password), the Django admin's sign-in included.

Downloading is a GET that changes nothing, never cached (it is personal data). Deleting shows a
page on GET and acts only on a POST with the CSRF token and the password typed again; those
attempts are rate-limited per user like allauth's own re-authentication.
"""

from allauth.core import ratelimit
from django.contrib import messages
from django.contrib.auth import logout
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from ogp_platform.viewtools import add_service_errors, guarded, local_path, require

from . import data_export, policies, services
from .forms import AccountDeleteForm


@guarded
@never_cache
@require_GET
def data_download(request):
    """A JSON file of everything the platform holds about the signed-in user."""
    require(request, policies.can_download_own_data(request.user))
    response = HttpResponse(
        data_export.export_json(request.user), content_type="application/json; charset=utf-8"
    )
    filename = data_export.export_filename(timezone.localdate())
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@guarded
@require_http_methods(["GET", "POST"])
def delete(request):
    """GET: what deleting means, and the form (or why it is refused); POST: delete, sign out."""
    require(request, request.user.is_authenticated)
    blockers = policies.account_deletion_blockers(request.user)
    form = AccountDeleteForm(request.POST or None, user=request.user)
    if request.method == "POST":
        if blockers:
            return _page(request, form, blockers, status=403)
        limited = ratelimit.consume_or_429(request, action="reauthenticate", user=request.user)
        if limited:
            return limited
        if form.is_valid():
            try:
                services.account_delete(user=request.user)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                logout(request)
                messages.success(
                    request,
                    _(
                        "Your account has been deleted. What you wrote in consultations stays "
                        "on the public record, signed “Deleted participant”."
                    ),
                )
                return redirect("home")
    return _page(request, form, blockers)


def _page(request, form, blockers, status=200):
    return render(
        request, "accounts/delete.html", {"form": form, "blockers": blockers}, status=status
    )


@require_GET
def admin_login(request):
    """The Django admin's sign-in page, replaced: staff sign in through allauth like everyone
    else, so the admin gets the same lockout after failed passwords, the same rate limits and
    the same email verification. The admin's own form (no limits at all) is never shown, and a
    password posted straight to this URL is refused (405)."""
    target = local_path(request.GET.get("next"), reverse("admin:index"))
    if request.user.is_authenticated:
        # Signed in but not staff: sending them to sign in again would loop back here.
        if not request.user.is_staff:
            raise PermissionDenied
        return redirect(reverse("admin:index"))
    return redirect(f"{reverse('account_login')}?{urlencode({'next': target})}")
