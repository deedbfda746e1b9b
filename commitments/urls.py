from django.urls import path, re_path

from .views import drafting, explorer, history, imports, opendata, pages, progress

app_name = "commitments"

urlpatterns = [
    path("commitments/", explorer.explorer, name="explorer"),
    path("plans/<str:plan>/commitments/new/", drafting.create, name="create"),
    path("commitments/<str:identifier>/", pages.detail, name="detail"),
    path("commitments/<str:identifier>/edit/", drafting.edit, name="edit"),
    path("commitments/<str:identifier>/delete/", drafting.delete, name="delete"),
    path("commitments/<str:identifier>/move/", drafting.move, name="move"),
    path("commitments/<str:identifier>/changes/", history.commitment_changes, name="changes"),
    path(
        "commitments/<str:identifier>/milestones/new/",
        drafting.milestone_create,
        name="milestone_create",
    ),
    path(
        "commitments/<str:identifier>/milestones/<int:pk>/edit/",
        drafting.milestone_edit,
        name="milestone_edit",
    ),
    path(
        "commitments/<str:identifier>/milestones/<int:pk>/delete/",
        drafting.milestone_delete,
        name="milestone_delete",
    ),
    path(
        "commitments/<str:identifier>/milestones/<int:pk>/move/",
        drafting.milestone_move,
        name="milestone_move",
    ),
    path(
        "commitments/<str:identifier>/milestones/<int:pk>/changes/",
        history.milestone_changes,
        name="milestone_changes",
    ),
    path("commitments/<str:identifier>/progress/new/", progress.report, name="progress"),
    path("commitments/<str:identifier>/assessment/", progress.assessment, name="assessment"),
    path("evidence/<int:pk>/", progress.evidence_file, name="evidence_file"),
    path("open-data/", opendata.open_data, name="open_data"),
    re_path(
        r"^commitments\.(?P<fmt>csv|json)$", opendata.explorer_download, name="explorer_download"
    ),
    re_path(
        r"^plans/(?P<plan>[^/]+)/commitments\.(?P<fmt>csv|json)$",
        opendata.plan_commitments,
        name="plan_commitments",
    ),
    path("plans/<str:plan>/milestones.csv", opendata.plan_milestones, name="plan_milestones"),
    re_path(
        r"^plans/(?P<plan>[^/]+)/register\.(?P<fmt>csv|json)$",
        opendata.plan_register,
        name="plan_register",
    ),
    path("imports/commitments/", imports.upload, name="import_upload"),
    path("imports/commitments/<int:pk>/", imports.report, name="import_report"),
]
