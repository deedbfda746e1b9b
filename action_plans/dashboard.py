"""Action plans' panels on My work (see `ogp_platform.dashboard`), for the officers of a
member: its plans with their status and next deadline, and the PDFs made of them."""

from ogp_platform import dashboard
from ogp_platform.members import dashboard as members_dashboard

from . import selectors


def _for_officers(request) -> bool:
    return bool(members_dashboard.officer_members(request))


def _plans(request) -> dict:
    members = members_dashboard.officer_members(request)
    plans, count = selectors.plans_of_members(members=members, limit=dashboard.LIMIT)
    return {"plans": plans, "count": count, "members": members}


def _exports(request) -> dict:
    members = members_dashboard.officer_members(request)
    exports, count = selectors.recent_pdf_exports(members=members, limit=dashboard.LIMIT)
    return {"exports": exports, "count": count}


def register() -> None:
    dashboard.register_panel(
        name="action_plans.plans",
        section=members_dashboard.GOVERNMENT,
        template="action_plans/dashboard/_plans.html",
        applies=_for_officers,
        context=_plans,
        order=10,
    )
    dashboard.register_panel(
        name="action_plans.pdf_exports",
        section=members_dashboard.GOVERNMENT,
        template="action_plans/dashboard/_pdf_exports.html",
        applies=_for_officers,
        context=_exports,
        order=40,
    )
