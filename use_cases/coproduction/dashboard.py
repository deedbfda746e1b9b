"""The co-production core's panel on My work (see `ogp_platform.dashboard`): "Your co-production
processes", for anyone in a team of a process, with each process's status, their teams in it
and the tasks of those teams in progress."""

from django.utils.translation import gettext_lazy as _

from ogp_platform import dashboard

from .selectors import my_work

SECTION = "coproduction"


def _processes(request) -> tuple[list, int]:
    return dashboard.per_request(
        request,
        "coproduction.processes",
        lambda: my_work.processes_of(request.user, limit=dashboard.LIMIT),
    )


def _context(request) -> dict:
    processes, count = _processes(request)
    my_work.work_in(request.user, processes)
    return {"processes": processes, "count": count}


def register() -> None:
    dashboard.register_section(
        SECTION,
        title=_("Co-production"),
        intro=_("The processes you work on with others, and your teams' tasks in progress."),
        order=25,
    )
    dashboard.register_panel(
        name="coproduction.processes",
        section=SECTION,
        template="coproduction/dashboard/_processes.html",
        applies=lambda request: bool(_processes(request)[0]),
        context=_context,
        order=10,
    )
