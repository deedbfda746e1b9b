"""The sections of My work that roles on members and organisations open, and this app's panels
(see `ogp_platform.dashboard`). Other apps add their panels to these sections."""

from django.utils.translation import gettext_lazy as _

from ogp_platform import dashboard

from . import policies, selectors

GOVERNMENT = "government"
ORGANISATIONS = "organisations"
OGP = "ogp"


def officer_members(request) -> list:
    """The members the signed-in person drafts plans for and answers inputs of (asked once per
    request, whichever panels ask)."""
    return dashboard.per_request(
        request, "members.officer_members", lambda: selectors.members_user_works_for(request.user)
    )


def administered_organisations(request) -> list:
    """The organisations the signed-in person is an administrator of (once per request)."""
    return dashboard.per_request(
        request,
        "members.administered_organisations",
        lambda: selectors.organisations_administered_by(request.user),
    )


def _requests(request) -> dict:
    organisations = administered_organisations(request)
    rows, count = selectors.pending_requests_of(organisations, limit=dashboard.LIMIT)
    return {"organisations": organisations, "requests": rows, "count": count}


def _onboardings(request) -> dict:
    running = selectors.onboardings_in_progress()
    return {"onboardings": list(running[: dashboard.LIMIT]), "count": running.count()}


def register() -> None:
    dashboard.register_section(
        GOVERNMENT,
        title=_("Government work"),
        intro=_("The plans of the members you work for, and what is waiting for you."),
        order=10,
    )
    dashboard.register_section(
        ORGANISATIONS,
        title=_("Your organisations"),
        intro=_("Who asks to speak for your organisations, and what became of what they said."),
        order=20,
    )
    dashboard.register_section(
        OGP,
        title=_("OGP support unit"),
        intro=_("Members being brought in, and content waiting for moderation."),
        order=40,
    )
    dashboard.register_panel(
        name="members.requests",
        section=ORGANISATIONS,
        template="members/dashboard/_requests.html",
        applies=lambda request: bool(administered_organisations(request)),
        context=_requests,
        order=10,
    )
    dashboard.register_panel(
        name="members.onboardings",
        section=OGP,
        template="members/dashboard/_onboardings.html",
        applies=lambda request: policies.is_ogp_admin(request.user),
        context=_onboardings,
        order=10,
    )
