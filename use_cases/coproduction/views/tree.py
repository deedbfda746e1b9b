"""The tree of a process: an item's page, and the owners' editing of the tree (add, edit,
reorder, remove) and the team's moving of tasks along. Reordering and moving tasks along are
small forms that post and come back (`static/js/enhance.js` swaps the tree in place when
JavaScript runs; without it, the same forms post and redirect)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ogp_platform import pagecache
from ogp_platform.history import history_context
from ogp_platform.viewtools import add_service_errors, form_page, guarded, redirect_back, require
from participation import interface

from .. import policies
from ..forms.processes import ItemForm, MoveForm, TaskStatusForm
from ..models import Process, TreeItem
from ..selectors import processes as selectors
from ..services import resources as resource_services
from ..services import tree as services
from .processes import processes_breadcrumbs, visible_process_or_404

Kind = TreeItem.Kind
# The first version lists the item's values; its process and parent are in the breadcrumbs.
ITEM_FIRST_VERSION_EXCLUDE = ("process", "parent", "kind", "key", "position")


def _item_scopes():
    """An item's page is kept under its process's primary member's scope, like the process's."""

    def member_of(slug, pk):
        return Process.objects.filter(slug=slug).values_list("primary_member_id", flat=True).first()

    return pagecache.owner_scopes("coproduction.item", member_of)


def _item_or_404(request, process, pk) -> TreeItem:
    item = selectors.visible_item(request.user, process, pk)
    if item is None:
        raise Http404
    return item


def item_breadcrumbs(process, item=None) -> list:
    """Processes › the process › the phase › the objective (the items `item` is part of)."""
    crumbs = processes_breadcrumbs(process)
    containers = []
    current = item.parent if item is not None else None
    while current is not None:
        containers.append(current)
        current = current.parent
    crumbs += [(other.name, other.get_absolute_url()) for other in reversed(containers)]
    return crumbs


def _tree_anchor(process, item) -> str:
    return f"{process.get_absolute_url()}#item-{item.pk}"


@require_GET
@pagecache.cached_page(_item_scopes())
def item_detail(request, slug, pk):
    process = visible_process_or_404(request, slug)
    tree = selectors.process_tree(process, user=request.user)
    node = tree.get(pk)
    if node is None:
        raise Http404
    item = node.item
    context = {
        "process": process,
        "node": node,
        "item": item,
        "problem_profiles": list(item.problem_profiles.all()),
        "breadcrumbs": processes_breadcrumbs(process)
        + [(a.item.name, a.item.get_absolute_url()) for a in reversed(node.ancestors)],
        "can_manage": policies.can_manage_process(request.user, process),
        "can_work": policies.can_work_on_process(request.user, process),
        "participable": interface.is_participable(item),
        "status_choices": TreeItem.Status,
    }
    if node.is_task:
        # The panel reads its keys (resources, can_view, can_add…) at the top of the context.
        context.update(resource_services.task_resources_context(request.user, item))
    return render(request, "coproduction/process/item_detail.html", context)


def _item_form_page(request, form, process, *, title, cancel_url, around):
    """A form about an item; `around` is the item itself, or the one a new item goes in."""
    crumbs = item_breadcrumbs(process, around)
    if around is not None:
        crumbs.append((around.name, around.get_absolute_url()))
    return form_page(
        request,
        form,
        title=title,
        submit=_("Save"),
        cancel_url=cancel_url,
        breadcrumbs=crumbs,
        intro=process.name,
    )


def _add_title(parent) -> str:
    if parent is None:
        return _("Add a phase to the process")
    if parent.kind == Kind.PHASE:
        return _("Add an objective to “%(parent)s”") % {"parent": parent.name}
    return _("Add a task to “%(parent)s”") % {"parent": parent.name}


@guarded
@require_http_methods(["GET", "POST"])
def item_create(request, slug, pk=None):
    """Add a phase (at the root), an objective (in a phase, `pk`) or a task (in an
    objective)."""
    process = visible_process_or_404(request, slug)
    require(request, policies.can_manage_process(request.user, process))
    parent = _item_or_404(request, process, pk) if pk is not None else None
    if parent is not None and parent.kind == Kind.TASK:
        raise Http404  # a task holds no items
    form = ItemForm(request.POST or None, process=process, parent=parent)
    if request.method == "POST" and form.is_valid():
        try:
            item = services.item_create(
                actor=request.user, process=process, parent=parent, **form.service_fields()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("“%(name)s” has been added.") % {"name": item.name})
            return redirect(_tree_anchor(process, item))
    return _item_form_page(
        request,
        form,
        process,
        title=_add_title(parent),
        cancel_url=parent.get_absolute_url() if parent else f"{process.get_absolute_url()}#tree",
        around=parent,
    )


@guarded
@require_http_methods(["GET", "POST"])
def item_edit(request, slug, pk):
    process = visible_process_or_404(request, slug)
    require(request, policies.can_manage_process(request.user, process))
    item = _item_or_404(request, process, pk)
    form = ItemForm(request.POST or None, process=process, item=item)
    if request.method == "POST" and form.is_valid():
        try:
            services.item_update(actor=request.user, item=item, **form.service_fields())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("“%(name)s” has been saved.") % {"name": item.name})
            return redirect(item)
    return _item_form_page(
        request,
        form,
        process,
        title=_("Edit the %(kind)s “%(name)s”")
        % {"kind": item.get_kind_display().lower(), "name": item.name},
        cancel_url=item.get_absolute_url(),
        around=item,
    )


@guarded
@require_POST
def item_move(request, slug, pk):
    process = visible_process_or_404(request, slug)
    require(request, policies.can_manage_process(request.user, process))
    item = _item_or_404(request, process, pk)
    form = MoveForm(request.POST)
    if form.is_valid():
        services.item_move(actor=request.user, item=item, direction=form.cleaned_data["direction"])
    return redirect_back(request, _tree_anchor(process, item))


@guarded
@require_http_methods(["GET", "POST"])
def item_delete(request, slug, pk):
    process = visible_process_or_404(request, slug)
    require(request, policies.can_manage_process(request.user, process))
    item = _item_or_404(request, process, pk)
    if request.method == "POST":
        count = services.item_delete(actor=request.user, item=item)
        messages.success(
            request,
            _("“%(name)s” has been removed (%(count)s items in all). Its history is kept.")
            % {"name": item.name, "count": count},
        )
        target = item.parent.get_absolute_url() if item.parent else process.get_absolute_url()
        return redirect(f"{target}#tree" if item.parent is None else target)
    return render(
        request,
        "coproduction/process/item_confirm_delete.html",
        {
            "page_title": _("Remove the %(kind)s “%(name)s”?")
            % {"kind": item.get_kind_display().lower(), "name": item.name},
            "process": process,
            "item": item,
            "summary": services.removal_summary(item),
            "cancel_url": item.get_absolute_url(),
            "breadcrumbs": [*item_breadcrumbs(process, item), (item.name, item.get_absolute_url())],
        },
    )


@guarded
@require_POST
def item_status(request, slug, pk):
    """Move a task along (awaiting, in progress, finished); a refusal is said at the top of
    the page it comes back to."""
    process = visible_process_or_404(request, slug)
    require(request, policies.can_work_on_process(request.user, process))
    task = _item_or_404(request, process, pk)
    form = TaskStatusForm(request.POST)
    if form.is_valid():
        try:
            task = services.task_set_status(
                actor=request.user, task=task, status=form.cleaned_data["status"]
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(
                request,
                _("“%(name)s” is now: %(status)s.")
                % {"name": task.name, "status": task.get_status_display().lower()},
            )
    return redirect_back(request, _tree_anchor(process, task))


@require_GET
def item_changes(request, slug, pk):
    """Who changed what in the item, and when, even after it was removed."""
    process = visible_process_or_404(request, slug)
    history = TreeItem.history.filter(id=pk, process_id=process.pk)
    latest = (
        history.order_by("-history_date", "-history_id")
        .only("id", "name", "kind", "history_type")
        .first()
    )
    if latest is None:
        raise Http404
    removed = latest.history_type == "-"
    item = (
        None if removed else TreeItem.objects.filter(pk=pk).select_related("parent__parent").first()
    )
    if item is not None:
        item.process = process
    context = history_context(request, history, exclude=ITEM_FIRST_VERSION_EXCLUDE)
    context.update(
        {
            "subject": {
                "kind": dict(TreeItem.Kind.choices).get(latest.kind, latest.kind),
                "identifier": "",
                "title": latest.name,
                "url": item.get_absolute_url() if item else "",
                "removed": removed,
            },
            "breadcrumbs": item_breadcrumbs(process, item)
            if item
            else processes_breadcrumbs(process),
        }
    )
    if latest.kind != Kind.TASK:
        context.update(
            {
                "children": selectors.items_ever(process, inside=pk),
                "children_title": _("Inside it"),
                "children_intro": _(
                    "Each item keeps its own history, including the items that were removed."
                ),
            }
        )
    return render(
        request, "history/changes.html", context, status=400 if context["invalid"] else 200
    )
