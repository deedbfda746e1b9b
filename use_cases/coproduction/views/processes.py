"""The pages of co-production processes: the list, a new process, a process's page (its tree,
team, rules and activity), its details and status, and its changes. Each view checks the
policy, hands the form's values to one service, and shows the service's refusals next to the
fields concerned."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from ogp_platform import pagecache
from ogp_platform.history import history_context
from ogp_platform.viewtools import add_service_errors, form_page, guarded, require
from participation import interface

from .. import page_scopes, policies
from ..forms.processes import (
    OwnerAddForm,
    ProcessCreateForm,
    ProcessDetailsForm,
    ProcessFilterForm,
    ProcessStatusForm,
)
from ..models import Schema, TreeItem
from ..selectors import processes as selectors
from ..services import processes as services

PAGE_SIZE = 20
# The first version lists the process's values; the creator is named as its author already.
PROCESS_FIRST_VERSION_EXCLUDE = ("created_by", "slug")


def processes_breadcrumbs(process=None) -> list:
    crumbs = [(_("Processes"), reverse("coproduction:processes"))]
    if process is not None:
        crumbs.append((process.name, process.get_absolute_url()))
    return crumbs


def visible_process_or_404(request, slug):
    process = selectors.visible_process(request.user, slug)
    if process is None:
        raise Http404
    return process


@require_GET
@pagecache.cached_page(page_scopes.list_page_scopes)
def process_list(request):
    form = ProcessFilterForm(
        request.GET or None, members=selectors.process_member_choices(request.user)
    )
    filters = form.filters() if request.GET else {}
    processes = selectors.process_list(
        request.user, status=filters.get("status", ""), member=filters.get("member")
    )
    page = Paginator(processes, PAGE_SIZE).get_page(request.GET.get("page"))
    selectors.with_progress(list(page.object_list))
    return render(
        request,
        "coproduction/process/process_list.html",
        {
            "form": form,
            "page": page,
            "filtered": bool(filters),
            "can_create": policies.can_create_process(request.user),
        },
    )


@guarded
@require_http_methods(["GET", "POST"])
def process_create(request):
    require(request, policies.can_create_process(request.user))
    initial = {}
    # A NUL cannot reach the database (PostgreSQL refuses it in a string).
    wanted = request.GET.get("schema", "").replace("\x00", "")
    if wanted and Schema.objects.filter(key=wanted).exists():
        initial["schema"] = wanted
    form = ProcessCreateForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            process = services.process_create(actor=request.user, **form.service_fields())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("The process has been created. Build its team next, then move its tasks along.")
                if process.schema_id
                else _("The process has been created. Add its first phase next."),
            )
            return redirect(process)
    return form_page(
        request,
        form,
        title=_("Start a co-production process"),
        submit=_("Create the process"),
        cancel_url=reverse("coproduction:processes"),
        breadcrumbs=processes_breadcrumbs(),
        template="coproduction/process/process_create.html",
        schemas_url=reverse("coproduction:schemas"),
    )


@require_GET
@pagecache.cached_page(page_scopes.process_page_scopes)
def process_detail(request, slug):
    process = visible_process_or_404(request, slug)
    context = selectors.process_page(request.user, process)
    context.update(
        {
            "breadcrumbs": processes_breadcrumbs(),
            "participable": interface.is_participable(process),
            "status_choices": TreeItem.Status,
        }
    )
    return render(request, "coproduction/process/process_detail.html", context)


@guarded
@require_http_methods(["GET", "POST"])
def process_edit(request, slug):
    process = visible_process_or_404(request, slug)
    require(request, policies.can_manage_process(request.user, process))
    form = ProcessDetailsForm(
        request.POST or None,
        initial=ProcessDetailsForm.initial_of(process),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.process_update(actor=request.user, process=process, **form.service_fields())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The process's details have been saved."))
            return redirect(process)
    return form_page(
        request,
        form,
        title=_("Edit the details of the process"),
        submit=_("Save the details"),
        cancel_url=process.get_absolute_url(),
        breadcrumbs=processes_breadcrumbs(process),
        intro=process.name,
    )


@guarded
@require_http_methods(["GET", "POST"])
def process_owners(request, slug):
    """The owning members and organisations, for the owners: add one they speak for, take one
    off (a process keeps at least one owning member)."""
    process = visible_process_or_404(request, slug)
    require(request, policies.can_manage_process(request.user, process))
    data = request.POST if request.method == "POST" else None
    form = OwnerAddForm(data, user=request.user, process=process)
    if request.method == "POST" and form.is_valid():
        member, organisation = form.cleaned_data["member"], form.cleaned_data["organisation"]
        try:
            services.process_owner_add(
                actor=request.user, process=process, member=member, organisation=organisation
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            owner = member.localised_name if member else organisation.name
            messages.success(request, _("%(owner)s now owns the process too.") % {"owner": owner})
            return redirect("coproduction:process_owners", process.slug)
    context = {
        "process": process,
        "form": form,
        "members": selectors.owner_members(process),
        "organisations": list(process.owner_organisations.order_by("name")),
        "breadcrumbs": processes_breadcrumbs(process),
    }
    status = 400 if form.errors else 200
    return render(request, "coproduction/process/owners.html", context, status=status)


@guarded
@require_http_methods(["POST"])
def process_owner_remove(request, slug, kind, pk):
    process = visible_process_or_404(request, slug)
    require(request, policies.can_manage_process(request.user, process))
    owners = {"member": process.owner_members, "organisation": process.owner_organisations}
    if kind not in owners:
        raise Http404
    owner = owners[kind].filter(pk=pk).first()
    if owner is None:
        raise Http404
    try:
        services.process_owner_remove(actor=request.user, process=process, **{kind: owner})
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        name = owner.localised_name if kind == "member" else owner.name
        messages.success(request, _("%(owner)s no longer owns the process.") % {"owner": name})
    return redirect("coproduction:process_owners", process.slug)


@guarded
@require_http_methods(["GET", "POST"])
def process_status(request, slug):
    process = visible_process_or_404(request, slug)
    require(request, policies.can_manage_process(request.user, process))
    form = ProcessStatusForm(request.POST or None, initial={"status": process.status})
    if request.method == "POST" and form.is_valid():
        try:
            process = services.process_set_status(
                actor=request.user, process=process, status=form.cleaned_data["status"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("The process is now: %(status)s.") % {"status": process.get_status_display()},
            )
            return redirect(process)
    return form_page(
        request,
        form,
        title=_("Change the status of the process"),
        submit=_("Save the status"),
        cancel_url=process.get_absolute_url(),
        breadcrumbs=processes_breadcrumbs(process),
        intro=process.name,
    )


@require_GET
def process_changes(request, slug):
    """Who changed what in the process, and when; its items (removed ones too) link to their
    own changes."""
    process = visible_process_or_404(request, slug)
    history = process.history.all()
    context = history_context(request, history, exclude=PROCESS_FIRST_VERSION_EXCLUDE)
    context.update(
        {
            "subject": {
                "kind": _("Co-production process"),
                "identifier": "",
                "title": process.name,
                "url": process.get_absolute_url(),
                "removed": False,
            },
            "breadcrumbs": processes_breadcrumbs(),
            "children": selectors.items_ever(process),
            "children_title": _("Phases, objectives and tasks"),
            "children_intro": _(
                "Each item keeps its own history, including the items that were removed."
            ),
        }
    )
    return render(
        request, "history/changes.html", context, status=400 if context["invalid"] else 200
    )
