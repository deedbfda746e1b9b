from allauth.account.adapter import get_adapter
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from .. import services
from ..models import Invitation


@require_http_methods(["GET", "POST"])
def invitation(request, token):
    """The page an invitation email links to: sign up or sign in, then accept."""
    invitation = services.invitation_for_token(token)
    if invitation is None:
        return render(request, "members/invitation.html", {"invalid": True}, status=404)
    if request.method == "POST" and request.user.is_authenticated:
        try:
            services.invitation_accept(user=request.user, invitation=invitation)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("Welcome: you are now %(role)s of %(member)s.")
                % {"role": invitation.get_role_display().lower(), "member": invitation.member},
            )
            return redirect(invitation.member)
    if invitation.status == Invitation.Status.PENDING and not request.user.is_authenticated:
        # Whoever opens the link reads the invited mailbox: signing up with that address needs
        # no second confirmation email.
        get_adapter(request).stash_verified_email(request, invitation.email)
    return render(
        request,
        "members/invitation.html",
        # Back here after signing up or in: this page's own address, not one the request chose.
        {"invitation": invitation, "next": reverse("members:invitation", args=[token])},
        status=410
        if invitation.status in (Invitation.Status.EXPIRED, Invitation.Status.REVOKED)
        else 200,
    )
