"""The project's URLs plus the pilot's two pages, for the tests that ask for them
(`@override_settings(ROOT_URLCONF="tests.pilot.urls")`): the project's own URL inventory stays
as it is."""

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import include, path

from participation import policies

from .models import Challenge, Proposal


def challenge(request, pk):
    challenge = get_object_or_404(Challenge, pk=pk)
    if not policies.can_read(request.user, challenge):
        raise Http404
    return render(request, "pilot/challenge.html", {"challenge": challenge})


def proposal(request, pk):
    proposal = get_object_or_404(Proposal.objects.select_related("challenge"), pk=pk)
    if not policies.can_read(request.user, proposal):
        raise Http404
    return render(request, "pilot/proposal.html", {"proposal": proposal})


pilot = (
    [
        path("challenges/<int:pk>/", challenge, name="challenge"),
        path("proposals/<int:pk>/", proposal, name="proposal"),
    ],
    "pilot",
)

urlpatterns = [path("pilot/", include(pilot)), path("", include("ogp_platform.urls"))]
