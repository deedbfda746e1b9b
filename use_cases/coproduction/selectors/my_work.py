"""What a person's "My work" shows of the co-production core: the processes they work on, through
any of their teams, each with its status, their teams in it and the tasks of those teams in
progress. Four queries, whatever the number of processes, teams and tasks."""

from django.db.models import Case, IntegerField, Value, When

from ..models import Process, Team, TreeItem

TASKS_PER_PROCESS = 5


def processes_of(user, *, limit: int) -> tuple[list[Process], int]:
    """The processes the person is in a team of, the most recent first (at most `limit`), and
    how many there are."""
    processes = Process.objects.filter(
        pk__in=Team.objects.filter(people=user).values("process")
    ).select_related("primary_member")
    shown = list(processes[:limit])
    return shown, (len(shown) if len(shown) < limit else processes.count())


def work_in(user, processes: list[Process]) -> None:
    """Set on each process the names of the person's teams in it (`my_teams`), the tasks of
    those teams in progress (`my_tasks`, at most `TASKS_PER_PROCESS`, those due first) and how
    many there are (`my_task_count`)."""
    by_pk = {process.pk: process for process in processes}
    for process in processes:
        process.my_teams, process.my_tasks, process.my_task_count = [], [], 0
    teams = (
        Team.objects.filter(people=user, process__in=by_pk)
        .order_by("process", "name", "pk")
        .values_list("process_id", "name")
    )
    for process_id, name in teams:
        by_pk[process_id].my_teams.append(name)
    tasks = (
        TreeItem.objects.filter(
            process__in=by_pk,
            kind=TreeItem.Kind.TASK,
            status=TreeItem.Status.IN_PROGRESS,
            responsible_team__people=user,
        )
        .annotate(
            undated=Case(
                When(end_date=None, then=Value(1)), default=Value(0), output_field=IntegerField()
            )
        )
        .order_by("process", "undated", "end_date", "position", "pk")
        .only("pk", "name", "end_date", "process_id", "position")
    )
    for task in tasks:
        process = by_pk[task.process_id]
        process.my_task_count += 1
        if len(process.my_tasks) < TASKS_PER_PROCESS:
            task.process = process  # its URL names the process: no query per task
            process.my_tasks.append(task)
