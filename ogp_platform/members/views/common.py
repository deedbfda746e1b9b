from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _

from ogp_platform.viewtools import (  # noqa: F401 (the members' views import them from here)
    LoginRequired,
    add_service_errors,
    form_page,
    guarded,
    redirect_back,
    require,
)

from .. import policies
from ..models import Member, Onboarding


def visible_member(request, slug: str) -> Member:
    member = get_object_or_404(Member.objects.select_related("parent"), slug=slug)
    if not policies.can_view_member(request.user, member):
        raise Http404
    return member


def onboarding_for(request, slug: str) -> Onboarding:
    """The member's onboarding, for OGP admins only."""
    require(request, policies.can_onboard(request.user))
    return get_object_or_404(Onboarding.objects.select_related("member"), member__slug=slug)


def member_breadcrumbs(member):
    return [
        (_("Members"), reverse("members:directory")),
        (member.localised_name, member.get_absolute_url()),
    ]
