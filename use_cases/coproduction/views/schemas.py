"""The page where the owners of a process save its tree as a schema for others to reuse (see
`services.schemas`)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ogp_platform.viewtools import add_service_errors, form_page, guarded, require

from .. import policies
from ..forms.governance import SaveAsSchemaForm
from ..models import TreeItem
from ..services import schemas as services
from .processes import processes_breadcrumbs, visible_process_or_404


def _sizes(process) -> dict:
    """How many phases, objectives and tasks would be saved: one query."""
    Kind = TreeItem.Kind
    return TreeItem.objects.filter(process=process).aggregate(
        **{kind: Count("pk", filter=Q(kind=kind)) for kind in Kind.values}
    )


@guarded
@require_http_methods(["GET", "POST"])
def save_as_schema(request, slug):
    """The owners save the process's tree as a new schema, offered when a process is created."""
    process = visible_process_or_404(request, slug)
    require(request, policies.can_manage_process(request.user, process))
    posted = request.method == "POST"
    form = SaveAsSchemaForm(request.POST if posted else None, initial={"name": process.name})
    if posted and form.is_valid():
        try:
            schema = services.schema_save_from_process(
                actor=request.user,
                process=process,
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _(
                    "The tree of the process has been saved as the schema “%(schema)s”. It is "
                    "now offered to everyone who starts a process."
                )
                % {"schema": schema.name},
            )
            return redirect(process.get_absolute_url())
    return form_page(
        request,
        form,
        title=_("Save %(process)s as a schema") % {"process": process.name},
        submit=_("Save as a schema"),
        cancel_url=process.get_absolute_url(),
        breadcrumbs=processes_breadcrumbs(process),
        template="coproduction/governance/save_as_schema.html",
        process=process,
        sizes=_sizes(process),
    )
