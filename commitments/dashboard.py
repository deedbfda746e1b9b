"""Commitments' panel on My work (see `ogp_platform.dashboard`): for the officers of a member,
the commitments of the plans being written, with what each still needs."""

from ogp_platform import dashboard
from ogp_platform.members import dashboard as members_dashboard

from . import selectors


def _drafts(request) -> dict:
    commitments, count = selectors.commitments_being_drafted(
        members=members_dashboard.officer_members(request), limit=dashboard.LIMIT
    )
    return {"commitments": commitments, "count": count}


def register() -> None:
    dashboard.register_panel(
        name="commitments.drafts",
        section=members_dashboard.GOVERNMENT,
        template="commitments/dashboard/_drafts.html",
        applies=lambda request: bool(members_dashboard.officer_members(request)),
        context=_drafts,
        order=30,
    )
