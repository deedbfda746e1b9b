"""Progress reports with evidence, evidence downloads, and the IRM's assessment of a commitment.

Each form view checks the policy, hands the cleaned values to one service, and shows refusals next
to the fields concerned; what was saved before stays as it was."""

import posixpath

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from ogp_platform import uploads
from ogp_platform.members.views.common import member_breadcrumbs
from ogp_platform.viewtools import add_service_errors, form_page, guarded, require

from .. import policies, services
from ..models import Assessment, Commitment, Evidence
from ..progress_forms import AssessmentForm, EvidenceFormSet, ProgressReportForm
from .common import visible_commitment


def _breadcrumbs(commitment: Commitment) -> list:
    plan = commitment.plan
    return [
        *member_breadcrumbs(plan.member),
        (plan.identifier, plan.get_absolute_url()),
        (commitment.identifier, commitment.get_absolute_url()),
    ]


def _initial_milestone(request, commitment: Commitment):
    """`?milestone=<pk>` preselects a milestone of this commitment (e.g. from its table row)."""
    pk = request.GET.get("milestone", "")
    # isdigit() alone takes "²" for a digit, which int() refuses.
    if pk.isascii() and pk.isdigit():
        return commitment.milestones.filter(pk=pk).first()
    return None


@guarded
@require_http_methods(["GET", "POST"])
def report(request, identifier):
    """An officer of the member reports progress on the commitment or one of its milestones,
    with links and files as evidence."""
    commitment = visible_commitment(request, identifier)
    require(request, policies.can_report_progress(request.user, commitment))
    posted = request.method == "POST"
    form = ProgressReportForm(
        request.POST if posted else None,
        commitment=commitment,
        initial={"milestone": _initial_milestone(request, commitment)},
    )
    evidence = EvidenceFormSet(
        request.POST if posted else None,
        request.FILES if posted else None,
        prefix="evidence",
    )
    if posted and all([form.is_valid(), evidence.is_valid()]):
        try:
            services.progress_report_create(
                actor=request.user,
                commitment=commitment,
                milestone=form.cleaned_data["milestone"],
                level=form.cleaned_data["level"],
                narrative=form.cleaned_data["narrative"],
                evidence=evidence.evidence(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Progress on %(id)s has been reported.") % {"id": commitment.identifier},
            )
            return redirect(f"{commitment.get_absolute_url()}#progress")
    return form_page(
        request,
        form,
        title=_("Report progress on %(id)s") % {"id": commitment.identifier},
        submit=_("Save the report"),
        cancel_url=f"{commitment.get_absolute_url()}#progress",
        breadcrumbs=_breadcrumbs(commitment),
        intro=commitment.title,
        template="commitments/progress_form.html",
        commitment=commitment,
        evidence_formset=evidence,
    )


@require_GET
def evidence_file(request, pk):
    """An evidence file, as a download, for those who may see its commitment (404 otherwise, so
    that a draft's files do not even show they exist). Link evidence has no file: 404."""
    evidence = get_object_or_404(
        Evidence.objects.select_related("report__commitment__plan__member"), pk=pk
    )
    if not evidence.file or not policies.can_view_commitment(
        request.user, evidence.report.commitment
    ):
        raise Http404
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    # Stored under a generated name: the download is named after the evidence's title.
    extension = posixpath.splitext(evidence.file.name)[1].lstrip(".")
    return uploads.attachment(handle, filename=uploads.download_name(evidence.title, extension))


@guarded
@require_http_methods(["GET", "POST"])
def assessment(request, identifier):
    """An IRM assessor enters or changes the independent assessment of a commitment."""
    commitment = visible_commitment(request, identifier)
    require(request, policies.can_assess(request.user, commitment))
    instance = Assessment.objects.filter(commitment=commitment).first() or Assessment(
        commitment=commitment
    )
    form = AssessmentForm(
        request.POST if request.method == "POST" else None,
        instance=instance,
        commitment=commitment,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.assessment_save(
                actor=request.user, commitment=commitment, **form.service_fields()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("The assessment of %(id)s has been saved.") % {"id": commitment.identifier},
            )
            return redirect(f"{commitment.get_absolute_url()}#assessment")
    return form_page(
        request,
        form,
        title=_("Assessment of %(id)s") % {"id": commitment.identifier},
        submit=_("Save the assessment"),
        cancel_url=f"{commitment.get_absolute_url()}#assessment",
        breadcrumbs=_breadcrumbs(commitment),
        intro=commitment.title,
        template="commitments/assessment_form.html",
        commitment=commitment,
        uses_results_method=(
            commitment.plan.start_date.year >= Assessment.RESULTS_METHOD_FROM_YEAR
        ),
    )
