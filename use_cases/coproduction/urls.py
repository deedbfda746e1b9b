"""The co-production core's pages. Each part keeps its patterns in its own block below."""

from django.urls import path

from .views import catalogue, governance, processes, resources, schemas, teams, tree

app_name = "coproduction"

urlpatterns = [
    # --- Catalogue of enablers, problem profiles and schemas ---
    # "new" and "schemas" come before <key>, and no enabler may take them as its key.
    path("catalogue/", catalogue.catalogue, name="catalogue"),
    path("catalogue/new/", catalogue.enabler_create, name="enabler_create"),
    path("catalogue/schemas/", catalogue.schemas, name="schemas"),
    path("catalogue/<slug:key>/", catalogue.enabler, name="enabler"),
    path("catalogue/<slug:key>/rate/", catalogue.enabler_rate, name="enabler_rate"),
    path("catalogue/<slug:key>/edit/", catalogue.enabler_edit, name="enabler_edit"),
    path("catalogue/<slug:key>/withdraw/", catalogue.enabler_withdraw, name="enabler_withdraw"),
    # --- Processes and their tree ---
    path("processes/", processes.process_list, name="processes"),
    path("processes/new/", processes.process_create, name="process_create"),
    path("processes/<slug:slug>/", processes.process_detail, name="process"),
    path("processes/<slug:slug>/edit/", processes.process_edit, name="process_edit"),
    path("processes/<slug:slug>/status/", processes.process_status, name="process_status"),
    path("processes/<slug:slug>/owners/", processes.process_owners, name="process_owners"),
    path(
        "processes/<slug:slug>/owners/<str:kind>/<int:pk>/remove/",
        processes.process_owner_remove,
        name="process_owner_remove",
    ),
    path("processes/<slug:slug>/changes/", processes.process_changes, name="process_changes"),
    path("processes/<slug:slug>/items/new/", tree.item_create, name="item_create"),
    path("processes/<slug:slug>/items/<int:pk>/", tree.item_detail, name="item"),
    path("processes/<slug:slug>/items/<int:pk>/new/", tree.item_create, name="item_create_inside"),
    path("processes/<slug:slug>/items/<int:pk>/edit/", tree.item_edit, name="item_edit"),
    path("processes/<slug:slug>/items/<int:pk>/move/", tree.item_move, name="item_move"),
    path("processes/<slug:slug>/items/<int:pk>/remove/", tree.item_delete, name="item_delete"),
    path("processes/<slug:slug>/items/<int:pk>/status/", tree.item_status, name="item_status"),
    path("processes/<slug:slug>/items/<int:pk>/changes/", tree.item_changes, name="item_changes"),
    # --- Teams, rights and resources ---
    path("processes/<slug:slug>/teams/", teams.teams, name="teams"),
    path("processes/<slug:slug>/teams/<int:pk>/", teams.team, name="team"),
    path(
        "processes/<slug:slug>/teams/<int:pk>/people/add/",
        teams.team_person_add,
        name="team_person_add",
    ),
    path(
        "processes/<slug:slug>/teams/<int:pk>/people/<int:user_pk>/remove/",
        teams.team_person_remove,
        name="team_person_remove",
    ),
    path(
        "processes/<slug:slug>/teams/<int:pk>/organisations/add/",
        teams.team_organisation_add,
        name="team_organisation_add",
    ),
    path(
        "processes/<slug:slug>/teams/<int:pk>/organisations/<int:organisation_pk>/remove/",
        teams.team_organisation_remove,
        name="team_organisation_remove",
    ),
    path("processes/<slug:slug>/teams/<int:pk>/remove/", teams.team_remove, name="team_remove"),
    path("processes/<slug:slug>/items/<int:pk>/rights/", teams.item_rights, name="item_rights"),
    path(
        "processes/<slug:slug>/items/<int:task_pk>/resources/add/<str:kind>/",
        resources.resource_add,
        name="resource_add",
    ),
    path(
        "processes/<slug:slug>/items/<int:task_pk>/resources/<int:pk>/",
        resources.resource,
        name="resource",
    ),
    path(
        "processes/<slug:slug>/items/<int:task_pk>/resources/<int:pk>/file/",
        resources.resource_file,
        name="resource_file",
    ),
    path(
        "processes/<slug:slug>/items/<int:task_pk>/resources/<int:pk>/delete/",
        resources.resource_delete,
        name="resource_delete",
    ),
    # --- Governance, schemas saved from processes ---
    path("processes/<slug:slug>/governance/", governance.governance_edit, name="governance_edit"),
    path("processes/<slug:slug>/save-as-schema/", schemas.save_as_schema, name="save_as_schema"),
]
