"""A process's teams (who works on it, in which role), their people and organisations, and the
rights of teams on each item of the tree.

Everyone who may read the process sees its teams; owners (and OGP admins) change them. Each
view checks the policy, hands the cleaned values to one service and redirects; refusals show
next to the field concerned, or as a message when they concern no field."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ogp_platform.viewtools import add_service_errors, guarded, require

from .. import policies
from ..forms.teams import OrganisationForm, PersonForm, RightsForm, TeamForm, value_of
from ..models import Process, Team, TreeItem
from ..permissions import RIGHT_LABELS, RIGHTS
from ..selectors import teams as selectors
from ..services import teams as services


def visible_process(request, slug) -> Process:
    """The process, for those who may read it (404 for the others: a process visible to its
    teams only does not even show it exists)."""
    process = get_object_or_404(Process.objects.select_related("primary_member"), slug=slug)
    if not policies.can_view_process(request.user, process):
        raise Http404
    return process


def process_breadcrumbs(process: Process, *more) -> list:
    return [(process.name, process.get_absolute_url()), *more]


def _team(process: Process, pk) -> Team:
    return get_object_or_404(Team.objects.select_related("group"), pk=pk, process=process)


def _teams_url(process: Process) -> str:
    return reverse("coproduction:teams", args=[process.slug])


def _team_url(team: Team) -> str:
    return reverse("coproduction:team", args=[team.process.slug, team.pk])


# --- Teams -----------------------------------------------------------------------------------


@guarded
@require_http_methods(["GET", "POST"])
def teams(request, slug):
    """The process's teams; owners create a team here."""
    process = visible_process(request, slug)
    can_manage = policies.can_manage_teams(request.user, process)
    form = None
    if request.method == "POST":
        require(request, can_manage)
    if can_manage:
        form = TeamForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            team = services.team_create(
                actor=request.user, process=process, **form.service_fields()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("The team %(team)s has been created: add its people now.") % {"team": team.name},
            )
            return redirect(_team_url(team))
    context = {
        "process": process,
        "teams": selectors.teams_of(process),
        "can_manage": can_manage,
        "form": form,
        "breadcrumbs": process_breadcrumbs(process),
    }
    if policies.can_manage_rights(request.user, process):
        context["overview"] = selectors.rights_overview(process)
    return render(request, "coproduction/teams/teams.html", context)


@require_http_methods(["GET"])
def team(request, slug, pk):
    """A team: its people and organisations (their addresses shown to owners only), with the
    forms to change them for owners."""
    process = visible_process(request, slug)
    team = _team(process, pk)
    return _team_page(request, process, team)


def _team_page(request, process, team, *, person_form=None, organisation_form=None, status=200):
    can_manage = policies.can_manage_teams(request.user, process)
    context = selectors.team_page_context(team)
    context.update(
        process=process,
        team=team,
        can_manage=can_manage,
        person_form=person_form or (PersonForm(prefix="person") if can_manage else None),
        organisation_form=organisation_form
        or (OrganisationForm(prefix="organisation") if can_manage else None),
        breadcrumbs=process_breadcrumbs(process, (_("Teams"), _teams_url(process))),
    )
    return render(request, "coproduction/teams/team.html", context, status=status)


@guarded
@require_POST
def team_person_add(request, slug, pk):
    process = visible_process(request, slug)
    team = _team(process, pk)
    require(request, policies.can_manage_teams(request.user, process))
    form = PersonForm(request.POST, prefix="person")
    if form.is_valid():
        try:
            person = services.person_by_email(form.cleaned_data["email"])
            added = services.team_add_person(actor=request.user, team=team, user=person)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            name = person.get_full_name() or person.email
            if added:
                messages.success(
                    request,
                    _("%(person)s is now in %(team)s.") % {"person": name, "team": team.name},
                )
            else:
                messages.info(
                    request,
                    _("%(person)s was in %(team)s already.") % {"person": name, "team": team.name},
                )
            return redirect(f"{_team_url(team)}#people")
    return _team_page(request, process, team, person_form=form)


@guarded
@require_POST
def team_person_remove(request, slug, pk, user_pk):
    process = visible_process(request, slug)
    team = _team(process, pk)
    require(request, policies.can_manage_teams(request.user, process))
    person = get_object_or_404(team.people.all(), pk=user_pk)
    try:
        services.team_remove_person(actor=request.user, team=team, user=person)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("%(person)s has left %(team)s.")
            % {"person": person.get_full_name() or person.email, "team": team.name},
        )
    return redirect(f"{_team_url(team)}#people")


@guarded
@require_POST
def team_organisation_add(request, slug, pk):
    process = visible_process(request, slug)
    team = _team(process, pk)
    require(request, policies.can_manage_teams(request.user, process))
    form = OrganisationForm(request.POST, prefix="organisation")
    if form.is_valid():
        organisation = form.cleaned_data["organisation"]
        services.team_add_organisation(actor=request.user, team=team, organisation=organisation)
        messages.success(
            request,
            _("%(organisation)s is now part of %(team)s.")
            % {"organisation": organisation.name, "team": team.name},
        )
        return redirect(f"{_team_url(team)}#organisations")
    return _team_page(request, process, team, organisation_form=form)


@guarded
@require_POST
def team_organisation_remove(request, slug, pk, organisation_pk):
    process = visible_process(request, slug)
    team = _team(process, pk)
    require(request, policies.can_manage_teams(request.user, process))
    organisation = get_object_or_404(team.organisations.all(), pk=organisation_pk)
    services.team_remove_organisation(actor=request.user, team=team, organisation=organisation)
    messages.success(
        request,
        _("%(organisation)s is no longer part of %(team)s.")
        % {"organisation": organisation.name, "team": team.name},
    )
    return redirect(f"{_team_url(team)}#organisations")


@guarded
@require_http_methods(["GET", "POST"])
def team_remove(request, slug, pk):
    process = visible_process(request, slug)
    team = _team(process, pk)
    require(request, policies.can_manage_teams(request.user, process))
    error = ""
    if request.method == "POST":
        try:
            services.team_remove(actor=request.user, team=team)
        except ValidationError as refused:
            error = " ".join(refused.messages)
        else:
            messages.success(
                request, _("The team %(team)s has been removed.") % {"team": team.name}
            )
            return redirect(_teams_url(process))
    return render(
        request,
        "coproduction/teams/team_remove.html",
        {
            "process": process,
            "team": team,
            "error": error,
            "breadcrumbs": process_breadcrumbs(process, (_("Teams"), _teams_url(process))),
        },
        status=400 if error else 200,
    )


# --- Rights on an item -----------------------------------------------------------------------


@guarded
@require_http_methods(["GET", "POST"])
def item_rights(request, slug, pk):
    """Which team may see, add and delete the resources of an item (and of everything under
    it), with what each holds already through the items above it. Owners only."""
    process = visible_process(request, slug)
    item = get_object_or_404(
        TreeItem.objects.select_related("parent__parent"), pk=pk, process=process
    )
    item.process = process
    require(request, policies.can_manage_rights(request.user, process))
    context = selectors.rights_context(item)
    granted_here = {value_of(team_id, perm) for team_id, perm in context["granted_here"]}
    form = RightsForm(
        request.POST if request.method == "POST" else None,
        teams=context["teams"],
        initial={"granted": sorted(granted_here)},
    )
    if request.method == "POST" and form.is_valid():
        try:
            added, removed = services.rights_set(
                actor=request.user, item=item, granted=form.granted_pairs()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if added or removed:
                messages.success(
                    request, _("The rights on %(item)s have been saved.") % {"item": item.name}
                )
            else:
                messages.info(request, _("Nothing changed."))
            return redirect(reverse("coproduction:item_rights", args=[process.slug, item.pk]))
    checked = set(form["granted"].value() or []) if form.is_bound else granted_here
    rows = [
        {
            "team": row["team"],
            "cells": [
                {
                    "permission": permission,
                    "label": RIGHT_LABELS[permission],
                    "value": value_of(row["team"].pk, permission),
                    "grantable": value_of(row["team"].pk, permission)
                    in dict(form.fields["granted"].choices),
                    "checked": value_of(row["team"].pk, permission) in checked,
                    "inherited_from": row["inherited"].get(permission, []),
                }
                for permission in RIGHTS
            ],
        }
        for row in context["rows"]
    ]
    ancestors = list(reversed(context["ancestors"]))
    return render(
        request,
        "coproduction/teams/item_rights.html",
        {
            "process": process,
            "item": item,
            "form": form,
            "rows": rows,
            "rights": [RIGHT_LABELS[permission] for permission in RIGHTS],
            "children": context["children"],
            "ancestors": ancestors,
            "breadcrumbs": process_breadcrumbs(
                process,
                *((ancestor.name, ancestor.get_absolute_url()) for ancestor in ancestors),
                (item.name, item.get_absolute_url()),
            ),
        },
    )
