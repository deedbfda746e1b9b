"""Participation's panels on My work (see `ogp_platform.dashboard`): for officers, the inputs
waiting for their response; for organisations' administrators, what was said for the
organisation and the responses it got; for people who take part, what they follow, the replies
to their comments and the responses to their inputs. Someone with none of these sees the
consultations open now instead."""

from django.utils.translation import gettext_lazy as _

from ogp_platform import dashboard
from ogp_platform.members import dashboard as members_dashboard
from ogp_platform.members.policies import is_moderator

from . import selectors
from .links import register_url

TAKING_PART = "taking_part"
LIMIT = dashboard.LIMIT


def _taking_part(request) -> dict[str, bool]:
    return dashboard.per_request(
        request, "participation.taking_part", lambda: selectors.taking_part_of(request.user)
    )


def _pending_inputs(request) -> dict:
    pending = selectors.pending_inputs_by_space(
        user=request.user, members=members_dashboard.officer_members(request), limit=LIMIT
    )
    for row in pending["spaces"]:
        row["register_url"] = register_url(row["space"])
    return {"pending": pending}


def _organisation_comments(request) -> dict:
    organisations = members_dashboard.administered_organisations(request)
    comments, count = selectors.organisation_comments(
        user=request.user, organisations=organisations, limit=LIMIT
    )
    return {"comments": comments, "count": count}


def _follows(request) -> dict:
    follows, count = selectors.follow_rows(request.user, limit=LIMIT)
    return {"follows": follows, "count": count}


def _replies(request) -> dict:
    replies, count = selectors.replies_to(request.user, limit=LIMIT)
    return {"replies": replies, "count": count}


def _responses(request) -> dict:
    inputs, count = selectors.inputs_of(request.user, limit=LIMIT)
    return {"inputs": inputs, "count": count}


def _open_consultations(request) -> dict:
    return {"consultations": selectors.open_consultations(user=request.user, limit=LIMIT)}


def _moderation(request) -> dict:
    return {"summary": selectors.moderation_summary()}


def register() -> None:
    dashboard.register_section(
        TAKING_PART,
        title=_("Taking part"),
        intro=_("What you follow, and the answers to what you said."),
        order=30,
    )
    dashboard.register_panel(
        name="participation.pending_inputs",
        section=members_dashboard.GOVERNMENT,
        template="participation/dashboard/_pending_inputs.html",
        applies=lambda request: bool(members_dashboard.officer_members(request)),
        context=_pending_inputs,
        order=20,
    )
    dashboard.register_panel(
        name="participation.organisation_comments",
        section=members_dashboard.ORGANISATIONS,
        template="participation/dashboard/_organisation_comments.html",
        applies=lambda request: bool(members_dashboard.administered_organisations(request)),
        context=_organisation_comments,
        order=20,
    )
    # Each shows only to those it has something for: someone who follows nothing and never
    # commented has no part here yet (and sees where to start instead).
    for order, (name, context, flag) in enumerate(
        (
            ("follows", _follows, "follows"),
            ("replies", _replies, "replies"),
            ("responses", _responses, "inputs"),
        ),
        start=1,
    ):
        dashboard.register_panel(
            name=f"participation.{name}",
            section=TAKING_PART,
            template=f"participation/dashboard/_{name}.html",
            applies=lambda request, flag=flag: _taking_part(request)[flag],
            context=context,
            order=order * 10,
        )
    dashboard.register_starting_point(
        name="participation.open_consultations",
        template="participation/dashboard/_open_consultations.html",
        applies=lambda request: True,
        context=_open_consultations,
    )
    dashboard.register_panel(
        name="participation.moderation",
        section=members_dashboard.OGP,
        template="participation/dashboard/_moderation.html",
        applies=lambda request: is_moderator(request.user),
        context=_moderation,
        order=20,
    )
