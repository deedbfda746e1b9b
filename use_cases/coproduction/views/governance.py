"""The page where the owners of a process change its rules. Before anyone has taken part they
change them freely; afterwards a change needs a reason and is recorded as an amendment (see
`services.governance`). The rules themselves show, to everyone, in the governance panel of the
process page."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ogp_platform.viewtools import add_service_errors, form_page, guarded, require

from .. import policies
from ..forms.governance import GovernanceForm
from ..models import Governance
from ..selectors.governance import explained, participation_started
from ..services import governance as services
from .processes import processes_breadcrumbs, visible_process_or_404


@guarded
@require_http_methods(["GET", "POST"])
def governance_edit(request, slug):
    """The owners change the rules of the process (an amendment once people have taken part)."""
    process = visible_process_or_404(request, slug)
    require(request, policies.can_manage_process(request.user, process))
    governance = get_object_or_404(Governance, process=process)
    amending = participation_started(process)
    form = GovernanceForm(
        request.POST if request.method == "POST" else None,
        amending=amending,
        initial=GovernanceForm.initial_from(governance),
    )
    if request.method == "POST" and form.is_valid():
        try:
            updated = services.governance_update(
                actor=request.user,
                process=process,
                reason=form.cleaned_data.get("reason", ""),
                **form.rules(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if not updated.changes:
                messages.info(request, _("The rules are as they were: nothing was changed."))
            elif amending:
                messages.success(request, _("The amendment of the rules has been recorded."))
            else:
                messages.success(request, _("The rules of the process have been saved."))
            return redirect(f"{process.get_absolute_url()}#governance")
    return form_page(
        request,
        form,
        title=_("Rules of %(process)s") % {"process": process.name},
        submit=_("Record the amendment") if amending else _("Save the rules"),
        cancel_url=f"{process.get_absolute_url()}#governance",
        breadcrumbs=processes_breadcrumbs(process),
        template="coproduction/governance/governance_form.html",
        process=process,
        governance=explained(governance),
        amending=amending,
    )
