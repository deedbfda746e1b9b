"""Resources on a task: adding a link, a file or an enabler of the catalogue; a resource's page,
where people comment on it; its file as a download; deleting it.

Who may do what is the rights on the task (`permissions.ItemRights`: granted to teams on the
task or above it, every right for owners); a process that is not visible gives 404."""

import posixpath

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from ogp_platform import uploads
from ogp_platform.viewtools import add_service_errors, guarded, require
from participation import interface

from .. import policies
from ..forms.resources import EnablerResourceForm, FileResourceForm, LinkResourceForm
from ..models import Enabler, Resource, TreeItem
from ..permissions import lineage
from ..selectors.catalogue import catalogue_enablers, suggested_enablers
from ..services import resources as services
from .teams import process_breadcrumbs, visible_process

SEARCH_RESULTS = 20


def _task(request, slug, task_pk) -> TreeItem:
    process = visible_process(request, slug)
    task = get_object_or_404(
        TreeItem.objects.select_related("parent__parent"),
        pk=task_pk,
        process=process,
        kind=TreeItem.Kind.TASK,
    )
    task.process = process
    for ancestor in lineage(task)[1:]:
        ancestor.process = process
    return task


def _resource(request, slug, task_pk, pk) -> Resource:
    task = _task(request, slug, task_pk)
    resource = get_object_or_404(
        Resource.objects.select_related("enabler", "created_by"), pk=pk, task=task
    )
    resource.task = task
    return resource


def _breadcrumbs(task: TreeItem, *more) -> list:
    ancestors = list(reversed(lineage(task)))
    return process_breadcrumbs(
        task.process, *((item.name, item.get_absolute_url()) for item in ancestors), *more
    )


def _task_url(task: TreeItem) -> str:
    return f"{task.get_absolute_url()}#resources"


def _search(user, query: str) -> list[Enabler]:
    """Published enablers found by the catalogue's search in the reader's language (names,
    descriptions, tags), the one whose identifier it is first."""
    query = " ".join(query.split())[:100]
    if not query:
        return []
    by_key = list(policies.listed_enablers().filter(key=query.lower()))
    found = catalogue_enablers(user=user, q=query).exclude(key=query.lower())
    return [*by_key, *found[: SEARCH_RESULTS - len(by_key)]]


FORMS = {
    Resource.Kind.LINK: LinkResourceForm,
    Resource.Kind.FILE: FileResourceForm,
    Resource.Kind.ENABLER: EnablerResourceForm,
}


@guarded
@require_http_methods(["GET", "POST"])
def resource_add(request, slug, task_pk, kind):
    """Add a link, a file or an enabler to the task (those with the right to add)."""
    if kind not in FORMS:
        raise Http404
    task = _task(request, slug, task_pk)
    require(request, policies.can_add_resources(request.user, task))
    posted = request.method == "POST"
    data = request.POST if posted else None
    context = {}
    if kind == Resource.Kind.ENABLER:
        # A NUL cannot reach the database (PostgreSQL refuses it in a string).
        query = request.GET.get("q", "").replace("\x00", "")
        suggestions = suggested_enablers(task, limit=services.SUGGESTIONS)
        found = _search(request.user, query)
        preselected = request.GET.get("enabler", "").replace("\x00", "")
        chosen = (
            list(Enabler.objects.filter(key=preselected, status=Enabler.Status.PUBLISHED))
            if preselected
            else []
        )
        offered = list({e.pk: e for e in [*chosen, *suggestions, *found]}.values())
        form = EnablerResourceForm(
            data, offered=offered, initial={"enabler": preselected} if chosen else None
        )
        context.update(query=query, searched=bool(query.strip()), found=found, offered=offered)
    else:
        form = FORMS[kind](data, request.FILES if posted else None)
    if posted and form.is_valid():
        values = dict(form.cleaned_data)
        try:
            if kind == Resource.Kind.LINK:
                resource = services.resource_add_link(actor=request.user, task=task, **values)
            elif kind == Resource.Kind.FILE:
                resource = services.resource_add_file(actor=request.user, task=task, **values)
            else:
                resource = services.resource_add_enabler(actor=request.user, task=task, **values)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("“%(title)s” has been added to the task.") % {"title": resource.title}
            )
            return redirect(_task_url(task))
    titles = {
        Resource.Kind.LINK: _("Add a link to “%(task)s”"),
        Resource.Kind.FILE: _("Add a file to “%(task)s”"),
        Resource.Kind.ENABLER: _("Attach an enabler to “%(task)s”"),
    }
    return render(
        request,
        "coproduction/resources/resource_form.html",
        {
            "form": form,
            "kind": kind,
            "task": task,
            "process": task.process,
            "page_title": titles[kind] % {"task": task.name},
            "cancel_url": _task_url(task),
            "breadcrumbs": _breadcrumbs(task),
            **context,
        },
    )


@require_GET
def resource(request, slug, task_pk, pk):
    """A resource's page: what it is, where to find it, and people's comments on it."""
    resource = _resource(request, slug, task_pk, pk)
    task = resource.task
    rights = policies.item_rights(request.user, task)
    if not policies.can_view_resources(request.user, task, rights=rights):
        # They know the task (they may read the process) but not what is in it.
        raise Http404
    return render(
        request,
        "coproduction/resources/resource_detail.html",
        {
            "resource": resource,
            "task": task,
            "process": task.process,
            "can_delete": policies.can_delete_resource(request.user, resource, rights=rights),
            "participable": interface.is_participable(resource),
            "breadcrumbs": _breadcrumbs(task),
        },
    )


@require_GET
def resource_file(request, slug, task_pk, pk):
    """A resource's file, as a download, for those who may see the task's resources (404
    otherwise, and for a resource without a file)."""
    resource = _resource(request, slug, task_pk, pk)
    if not resource.file or not policies.can_view_resources(request.user, resource.task):
        raise Http404
    try:
        handle = resource.file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    # Stored under a generated name: the download is named after the file that was chosen.
    extension = posixpath.splitext(resource.file.name)[1].lstrip(".")
    filename = resource.file_name or uploads.download_name(resource.title, extension)
    return uploads.attachment(handle, filename=filename)


@guarded
@require_http_methods(["GET", "POST"])
def resource_delete(request, slug, task_pk, pk):
    resource = _resource(request, slug, task_pk, pk)
    task = resource.task
    require(request, policies.can_delete_resource(request.user, resource))
    if request.method == "POST":
        services.resource_delete(actor=request.user, resource=resource)
        messages.success(request, _("“%(title)s” has been deleted.") % {"title": resource.title})
        return redirect(_task_url(task))
    return render(
        request,
        "commitments/confirm_delete.html",
        {
            "page_title": _("Delete this resource?"),
            "object_title": resource.title,
            "warning": _("It leaves the task; what people said about it stays on record."),
            "cancel_url": resource.get_absolute_url(),
            "breadcrumbs": _breadcrumbs(task),
        },
    )
