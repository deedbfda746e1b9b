from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from ogp_platform import pagecache
from ogp_platform.members.views.common import member_breadcrumbs, visible_member
from ogp_platform.viewtools import add_service_errors, form_page, guarded, require

from .. import policies, selectors, services
from ..forms import DeadlineForm, PlanForm, ReasonForm
from ..models import COUNTRY_LANGUAGES, ActionPlan

# What each lifecycle action is called on its button and confirmation page, what it does, and
# whether it needs a reason.
ACTIONS = {
    "open_cocreation": {
        "label": gettext_lazy("Open co-creation"),
        "explanation": gettext_lazy(
            "The draft becomes public: everyone can read it, and civil society can take part in "
            "its consultations."
        ),
        "done": gettext_lazy("Co-creation is open: the plan is now public."),
    },
    "submit": {
        "label": gettext_lazy("Submit to OGP"),
        "explanation": gettext_lazy(
            "The co-created plan goes to OGP. After that only OGP admins can reopen it for changes."
        ),
        "done": gettext_lazy("The plan has been submitted to OGP."),
    },
    "start_implementation": {
        "label": gettext_lazy("Start implementation"),
        "explanation": gettext_lazy(
            "The commitments are being carried out: officers report progress with evidence."
        ),
        "done": gettext_lazy("Implementation has started."),
    },
    "end": {
        "label": gettext_lazy("End the plan"),
        "explanation": gettext_lazy(
            "The implementation period is over; the plan is kept for assessment and reading."
        ),
        "done": gettext_lazy("The plan has ended."),
    },
    "withdraw": {
        "label": gettext_lazy("Withdraw the plan"),
        "explanation": gettext_lazy(
            "The plan leaves the cycle. It stays readable with the reason you give."
        ),
        "done": gettext_lazy("The plan has been withdrawn."),
        "reason": True,
        "danger": True,
    },
    "reopen": {
        "label": gettext_lazy("Reopen for changes"),
        "explanation": gettext_lazy(
            "The plan goes back to co-creation so that its team can change it. The reason is "
            "kept on the timeline."
        ),
        "done": gettext_lazy("The plan has been reopened: its team can change it again."),
        "reason": True,
    },
}


def _plan(request, identifier) -> ActionPlan:
    plan = selectors.plan_detail(user=request.user, identifier=identifier)
    if plan is None:
        raise Http404
    return plan


def plan_breadcrumbs(plan: ActionPlan) -> list:
    return [*member_breadcrumbs(plan.member), (plan.identifier, plan.get_absolute_url())]


@guarded
@require_http_methods(["GET", "POST"])
def create(request, slug):
    member = visible_member(request, slug)
    require(request, policies.can_create_plan(request.user, member))
    form = PlanForm(
        request.POST or None,
        initial={"language": COUNTRY_LANGUAGES.get(member.country, "")},
    )
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.action_plan_create(
                actor=request.user, member=member, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Draft %(id)s has been created. Add its commitments next.")
                % {"id": plan.identifier},
            )
            return redirect(plan)
    return form_page(
        request,
        form,
        title=_("Start an action plan for %(member)s") % {"member": member.localised_name},
        submit=_("Create the draft"),
        cancel_url=member.get_absolute_url(),
        breadcrumbs=member_breadcrumbs(member),
        intro=_(
            "The draft stays visible only to the member's team and its multistakeholder forum "
            "until co-creation opens."
        ),
    )


@require_GET
@pagecache.cached_page(pagecache.owner_by(ActionPlan, "identifier", "member_id"))
def detail(request, identifier):
    plan = _plan(request, identifier)
    user = request.user
    can_edit = policies.can_edit_plan(user, plan)
    if can_edit:
        commitments, list_version = selectors.plan_commitments(plan=plan, for_checklist=True), None
    else:
        # Everyone who cannot edit sees the same list: its HTML is kept in the cache for as long
        # as nothing of the member changes, and the commitments are read only to render it.
        commitments = SimpleLazyObject(lambda: selectors.plan_commitments(plan=plan))
        list_version = pagecache.version(pagecache.EPOCH, pagecache.member_scope(plan.member_id))
    transitions = policies.transitions_for(user, plan)
    return render(
        request,
        "action_plans/plan_detail.html",
        {
            "plan": plan,
            "commitments": commitments,
            "timeline": selectors.plan_timeline(plan),
            "checklist": (
                selectors.plan_submission_checklist(plan=plan, commitments=commitments)
                if can_edit
                else None
            ),
            "can_edit": can_edit,
            "list_version": list_version,
            "can_change_deadline": policies.can_change_deadline(user, plan),
            "actions": [
                {"name": name, **ACTIONS[name]} for name, allowed in transitions.items() if allowed
            ],
            "breadcrumbs": member_breadcrumbs(plan.member),
        },
    )


@guarded
@require_http_methods(["GET", "POST"])
def edit(request, identifier):
    plan = _plan(request, identifier)
    require(request, policies.can_edit_plan(request.user, plan))
    form = PlanForm(request.POST or None, instance=plan)
    if request.method == "POST" and form.is_valid():
        try:
            services.action_plan_update(
                actor=request.user,
                plan=plan,
                **{name: form.cleaned_data[name] for name in form.changed_data},
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The plan's details have been saved."))
            return redirect(plan)
    return form_page(
        request,
        form,
        title=_("Edit %(id)s") % {"id": plan.identifier},
        submit=_("Save"),
        cancel_url=plan.get_absolute_url(),
        breadcrumbs=plan_breadcrumbs(plan),
    )


@guarded
@require_http_methods(["GET", "POST"])
def deadline(request, identifier):
    plan = _plan(request, identifier)
    require(request, policies.can_change_deadline(request.user, plan))
    form = DeadlineForm(request.POST or None, instance=plan)
    if request.method == "POST" and form.is_valid():
        services.action_plan_set_deadline(
            actor=request.user,
            plan=plan,
            submission_deadline=form.cleaned_data["submission_deadline"],
        )
        messages.success(request, _("The submission deadline has been changed."))
        return redirect(plan)
    return form_page(
        request,
        form,
        title=_("Submission deadline of %(id)s") % {"id": plan.identifier},
        submit=_("Save"),
        cancel_url=plan.get_absolute_url(),
        breadcrumbs=plan_breadcrumbs(plan),
    )


@guarded
@require_http_methods(["GET", "POST"])
def transition(request, identifier, action):
    """Confirm and carry out one step of the lifecycle. GET shows what it does (and, for
    submission, what is still missing); POST does it."""
    if action not in ACTIONS:
        raise Http404
    plan = _plan(request, identifier)
    require(request, policies.transitions_for(request.user, plan)[action])
    spec = ACTIONS[action]
    form = ReasonForm(request.POST or None) if spec.get("reason") else None
    errors = []
    if request.method == "POST" and (form is None or form.is_valid()):
        extra = {"reason": form.cleaned_data["reason"]} if form else {}
        try:
            services.TRANSITIONS[action](actor=request.user, plan=plan, **extra)
        except ValidationError as error:
            if form is not None:
                add_service_errors(form, error)
            else:
                errors = error.messages
        else:
            messages.success(request, spec["done"])
            return redirect(reverse("action_plans:detail", args=[plan.identifier]))
    checklist = selectors.plan_submission_checklist(plan=plan) if action == "submit" else None
    return render(
        request,
        "action_plans/plan_transition.html",
        {
            "plan": plan,
            "action": {"name": action, **spec},
            "form": form,
            "errors": errors,
            "checklist": checklist,
            "breadcrumbs": plan_breadcrumbs(plan),
        },
        status=400 if errors else 200,
    )
