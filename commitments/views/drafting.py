"""Drafting commitments and milestones in the browser. Every view checks the policy, hands the
form's values to one service, and shows the service's refusals next to the fields concerned;
what was saved before stays as it was."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from action_plans import selectors as plan_selectors
from action_plans.models import ActionPlan
from ogp_platform.members.views.common import member_breadcrumbs
from ogp_platform.viewtools import add_service_errors, form_page, guarded, redirect_back, require

from .. import policies, services
from ..forms import CommitmentForm, MilestoneForm, MoveForm
from ..models import Commitment, Milestone
from .common import visible_commitment


def _milestone(commitment: Commitment, pk: int) -> Milestone:
    milestone = get_object_or_404(Milestone, pk=pk, commitment=commitment)
    milestone.commitment = commitment
    return milestone


def _breadcrumbs(plan: ActionPlan, commitment: Commitment | None = None) -> list:
    crumbs = [*member_breadcrumbs(plan.member), (plan.identifier, plan.get_absolute_url())]
    if commitment is not None:
        crumbs.append((commitment.identifier, commitment.get_absolute_url()))
    return crumbs


def _commitment_form_page(request, form, plan, *, title, submit, cancel_url, commitment=None):
    return form_page(
        request,
        form,
        title=title,
        submit=submit,
        cancel_url=cancel_url,
        breadcrumbs=_breadcrumbs(plan, commitment),
        template="commitments/commitment_form.html",
        plan=plan,
        commitment=commitment,
    )


@guarded
@require_http_methods(["GET", "POST"])
def create(request, plan):
    plan = plan_selectors.plan_detail(user=request.user, identifier=plan)
    if plan is None:
        raise Http404
    require(request, policies.can_add_commitment(request.user, plan))
    form = CommitmentForm(request.POST or None, plan=plan)
    if request.method == "POST" and form.is_valid():
        try:
            commitment = services.commitment_create(
                actor=request.user, plan=plan, **form.service_fields()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Commitment %(id)s has been saved. Add its milestones next.")
                % {"id": commitment.identifier},
            )
            return redirect(f"{commitment.get_absolute_url()}#milestones")
    return _commitment_form_page(
        request,
        form,
        plan,
        title=_("Add a commitment to %(id)s") % {"id": plan.identifier},
        submit=_("Save the commitment"),
        cancel_url=plan.get_absolute_url(),
    )


@guarded
@require_http_methods(["GET", "POST"])
def edit(request, identifier):
    commitment = visible_commitment(request, identifier)
    require(request, policies.can_edit_commitment(request.user, commitment))
    plan = commitment.plan
    form = CommitmentForm(request.POST or None, instance=commitment, plan=plan)
    if request.method == "POST" and form.is_valid():
        try:
            services.commitment_update(
                actor=request.user, commitment=commitment, **form.service_fields()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("Commitment %(id)s has been saved.") % {"id": commitment.identifier}
            )
            return redirect(commitment)
    return _commitment_form_page(
        request,
        form,
        plan,
        title=_("Edit %(id)s") % {"id": commitment.identifier},
        submit=_("Save the commitment"),
        cancel_url=commitment.get_absolute_url(),
        commitment=commitment,
    )


@guarded
@require_http_methods(["GET", "POST"])
def delete(request, identifier):
    commitment = visible_commitment(request, identifier)
    require(request, policies.can_edit_commitment(request.user, commitment))
    plan = commitment.plan
    if request.method == "POST":
        services.commitment_delete(actor=request.user, commitment=commitment)
        messages.success(
            request,
            _("Commitment %(id)s has been removed. Its number will not be used again.")
            % {"id": commitment.identifier},
        )
        return redirect(plan)
    return render(
        request,
        "commitments/confirm_delete.html",
        {
            "page_title": _("Remove %(id)s?") % {"id": commitment.identifier},
            "object_title": commitment.title,
            "warning": _(
                "The commitment and its %(count)s milestones leave the plan. Its history stays "
                "on the plan's changes page, and its number is not used again."
            )
            % {"count": commitment.milestones.count()},
            "cancel_url": commitment.get_absolute_url(),
            "breadcrumbs": _breadcrumbs(plan, commitment),
        },
    )


@guarded
@require_POST
def move(request, identifier):
    commitment = visible_commitment(request, identifier)
    require(request, policies.can_edit_commitment(request.user, commitment))
    form = MoveForm(request.POST)
    if form.is_valid():
        services.commitment_move(
            actor=request.user, commitment=commitment, direction=form.cleaned_data["direction"]
        )
    return redirect_back(request, f"{commitment.plan.get_absolute_url()}#commitment-list")


# --- Milestones ----------------------------------------------------------------------------


def _milestone_form_page(request, form, commitment, *, title):
    return form_page(
        request,
        form,
        title=title,
        submit=_("Save the milestone"),
        cancel_url=f"{commitment.get_absolute_url()}#milestones",
        breadcrumbs=_breadcrumbs(commitment.plan, commitment),
        intro=commitment.title,
    )


@guarded
@require_http_methods(["GET", "POST"])
def milestone_create(request, identifier):
    commitment = visible_commitment(request, identifier)
    require(request, policies.can_edit_commitment(request.user, commitment))
    form = MilestoneForm(request.POST or None, commitment=commitment)
    if request.method == "POST" and form.is_valid():
        try:
            milestone = services.milestone_create(
                actor=request.user, commitment=commitment, **form.service_fields()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The milestone has been added."))
            return redirect(milestone.get_absolute_url())
    return _milestone_form_page(
        request, form, commitment, title=_("Add a milestone to %(id)s") % {"id": identifier}
    )


@guarded
@require_http_methods(["GET", "POST"])
def milestone_edit(request, identifier, pk):
    commitment = visible_commitment(request, identifier)
    require(request, policies.can_edit_commitment(request.user, commitment))
    milestone = _milestone(commitment, pk)
    form = MilestoneForm(request.POST or None, instance=milestone, commitment=commitment)
    if request.method == "POST" and form.is_valid():
        try:
            services.milestone_update(
                actor=request.user, milestone=milestone, **form.service_fields()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The milestone has been saved."))
            return redirect(milestone.get_absolute_url())
    return _milestone_form_page(
        request, form, commitment, title=_("Edit a milestone of %(id)s") % {"id": identifier}
    )


@guarded
@require_http_methods(["GET", "POST"])
def milestone_delete(request, identifier, pk):
    commitment = visible_commitment(request, identifier)
    require(request, policies.can_edit_commitment(request.user, commitment))
    milestone = _milestone(commitment, pk)
    if request.method == "POST":
        services.milestone_delete(actor=request.user, milestone=milestone)
        messages.success(request, _("The milestone has been removed."))
        return redirect_back(request, f"{commitment.get_absolute_url()}#milestones")
    return render(
        request,
        "commitments/confirm_delete.html",
        {
            "page_title": _("Remove this milestone?"),
            "object_title": milestone.title,
            "warning": _("Its history stays on the commitment's changes page."),
            "cancel_url": f"{commitment.get_absolute_url()}#milestones",
            "breadcrumbs": _breadcrumbs(commitment.plan, commitment),
        },
    )


@guarded
@require_POST
def milestone_move(request, identifier, pk):
    commitment = visible_commitment(request, identifier)
    require(request, policies.can_edit_commitment(request.user, commitment))
    milestone = _milestone(commitment, pk)
    form = MoveForm(request.POST)
    if form.is_valid():
        services.milestone_move(
            actor=request.user, milestone=milestone, direction=form.cleaned_data["direction"]
        )
    return redirect_back(request, f"{commitment.get_absolute_url()}#milestones")
