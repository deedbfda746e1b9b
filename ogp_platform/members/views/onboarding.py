"""The onboarding checklist, for OGP admins: each step saves on its own and can be revisited."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from ogp_platform import uploads

from .. import policies, selectors, services
from ..eligibility import eligibility_result
from ..forms import (
    EligibilityForm,
    InvitationForm,
    LeadAgencyForm,
    LetterForm,
    MemberStartForm,
    PartnersForm,
    ValuesForm,
)
from ..models import Onboarding
from .common import add_service_errors, form_page, guarded, onboarding_for, require


def _render_step(request, onboarding, step, form, **context):
    steps = selectors.onboarding_checklist(onboarding)
    return render(
        request,
        f"members/onboarding/step_{step}.html",
        {
            "onboarding": onboarding,
            "member": onboarding.member,
            "steps": steps,
            "step": next(s for s in steps if s.key == step),
            "form": form,
            **context,
        },
    )


def _done(request, onboarding, message):
    messages.success(request, message)
    return redirect("members:onboarding", slug=onboarding.member.slug)


def _check_step_applies(onboarding, step):
    if step not in selectors.onboarding_steps_for(onboarding.member):
        raise Http404


@guarded
@require_GET
def dashboard(request):
    require(request, policies.can_onboard(request.user))
    rows = []
    for onboarding in selectors.onboardings_in_progress():
        steps = selectors.onboarding_checklist(onboarding)
        rows.append(
            {
                "onboarding": onboarding,
                "current": selectors.onboarding_current_step(steps),
                "done": sum(s.done for s in steps),
                "total": len(steps),
            }
        )
    return render(
        request,
        "members/onboarding/dashboard.html",
        {
            "rows": rows,
            "changes": selectors.recent_status_changes()[:20],
            "to_review": selectors.members_to_review(),
        },
    )


@guarded
@require_http_methods(["GET", "POST"])
def start(request):
    require(request, policies.can_onboard(request.user))
    form = MemberStartForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            member = services.member_start_onboarding(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("Onboarding of %(member)s has started.") % {"member": member}
            )
            return redirect("members:onboarding", slug=member.slug)
    return form_page(
        request,
        form,
        title=_("Start onboarding a new member"),
        submit=_("Start onboarding"),
        cancel_url=reverse("members:onboarding_dashboard"),
        breadcrumbs=[(_("Onboarding"), reverse("members:onboarding_dashboard"))],
        intro=_("The member stays hidden from the public directory until it is activated."),
    )


@guarded
@require_GET
def checklist(request, slug):
    onboarding = onboarding_for(request, slug)
    steps = selectors.onboarding_checklist(onboarding)
    return render(
        request,
        "members/onboarding/checklist.html",
        {
            "onboarding": onboarding,
            "member": onboarding.member,
            "steps": steps,
            "current": selectors.onboarding_current_step(steps),
            "events": onboarding.events.select_related("actor")[:50],
        },
    )


@guarded
@require_http_methods(["GET", "POST"])
def eligibility(request, slug):
    onboarding = onboarding_for(request, slug)
    if request.method == "GET" and "preview" in request.GET:
        # The live result shown while the admin types: the same rule, from the server.
        form = EligibilityForm(request.GET)
        if not form.is_valid():
            return JsonResponse({"error": _("Scores are 0 to 4, or no data.")}, status=400)
        result = eligibility_result(form.scores())
        return JsonResponse(
            {
                "outcome": result.outcome,
                "label": result.label,
                "points": result.points,
                "available": result.available,
            }
        )
    form = EligibilityForm(request.POST or None, initial=onboarding.scores)
    if request.method == "POST" and form.is_valid():
        result = services.onboarding_record_eligibility(
            actor=request.user, onboarding=onboarding, scores=form.scores()
        )
        message = _("Eligibility recorded: %(result)s (%(points)s of %(available)s points).")
        return _done(
            request,
            onboarding,
            message
            % {"result": result.label, "points": result.points, "available": result.available},
        )
    if form.is_bound and form.is_valid():
        result = eligibility_result(form.scores())
    else:
        result = selectors.onboarding_eligibility(onboarding)
    return _render_step(request, onboarding, Onboarding.Step.ELIGIBILITY, form, result=result)


@guarded
@require_http_methods(["GET", "POST"])
def values(request, slug):
    onboarding = onboarding_for(request, slug)
    _check_step_applies(onboarding, Onboarding.Step.VALUES)
    initial = {"note": onboarding.values_note}
    if onboarding.values_passed is not None:
        initial["passed"] = "pass" if onboarding.values_passed else "fail"
    form = ValuesForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.onboarding_record_values(
            actor=request.user,
            onboarding=onboarding,
            passed=form.cleaned_data["passed"],
            note=form.cleaned_data["note"],
        )
        return _done(request, onboarding, _("Values check recorded."))
    return _render_step(request, onboarding, Onboarding.Step.VALUES, form)


@guarded
@require_http_methods(["GET", "POST"])
def letter(request, slug):
    onboarding = onboarding_for(request, slug)
    has_file = bool(onboarding.letter_file)
    form = LetterForm(
        request.POST or None,
        request.FILES or None,
        has_file=has_file,
        initial={"letter_date": onboarding.letter_date},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.onboarding_record_letter(
                actor=request.user,
                onboarding=onboarding,
                letter_date=form.cleaned_data["letter_date"],
                letter_file=form.cleaned_data["letter_file"] or None,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _done(request, onboarding, _("Letter of intent recorded."))
    return _render_step(request, onboarding, Onboarding.Step.LETTER, form)


@guarded
@require_GET
def letter_file(request, slug):
    onboarding = onboarding_for(request, slug)
    if not onboarding.letter_file:
        raise Http404
    return uploads.attachment(
        onboarding.letter_file.open("rb"),
        filename=f"letter-of-intent-{onboarding.member.slug}.pdf",
        content_type="application/pdf",
    )


@guarded
@require_http_methods(["GET", "POST"])
def partners(request, slug):
    onboarding = onboarding_for(request, slug)
    _check_step_applies(onboarding, Onboarding.Step.PARTNERS)
    form = PartnersForm(
        request.POST or None, initial={"organisations": onboarding.member.organisations.all()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.onboarding_set_partners(
                actor=request.user,
                onboarding=onboarding,
                organisations=form.cleaned_data["organisations"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _done(request, onboarding, _("Partner organisations recorded."))
    return _render_step(request, onboarding, Onboarding.Step.PARTNERS, form)


@guarded
@require_http_methods(["GET", "POST"])
def contacts(request, slug):
    """Two forms: the lead agency, and invitations to points of contact."""
    onboarding = onboarding_for(request, slug)
    member = onboarding.member
    is_invite = request.method == "POST" and "invite" in request.POST
    is_agency = request.method == "POST" and not is_invite
    agency_form = LeadAgencyForm(
        request.POST if is_agency else None,
        initial={"lead_agency": member.lead_agency},
        prefix="agency",
    )
    invite_form = InvitationForm(request.POST if is_invite else None, prefix="invite")
    if is_agency and agency_form.is_valid():
        services.onboarding_set_lead_agency(
            actor=request.user, onboarding=onboarding, **agency_form.cleaned_data
        )
        messages.success(request, _("Lead agency saved."))
        return redirect("members:onboarding_contacts", slug=member.slug)
    if is_invite and invite_form.is_valid():
        try:
            invitation = services.invitation_create(
                actor=request.user, member=member, **invite_form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(invite_form, error)
        else:
            messages.success(
                request,
                _("An invitation has been sent to %(email)s.") % {"email": invitation.email},
            )
            return redirect("members:onboarding_contacts", slug=member.slug)
    return _render_step(
        request,
        onboarding,
        Onboarding.Step.CONTACTS,
        agency_form,
        invite_form=invite_form,
        invitations=member.invitations.select_related("accepted_by").order_by("-created_at"),
    )


@guarded
@require_http_methods(["GET", "POST"])
def activation(request, slug):
    onboarding = onboarding_for(request, slug)
    error = None
    if request.method == "POST":
        try:
            services.onboarding_activate(actor=request.user, onboarding=onboarding)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(
                request, _("%(member)s is now an active member.") % {"member": onboarding.member}
            )
            return redirect(onboarding.member)
    return _render_step(request, onboarding, Onboarding.Step.ACTIVATION, None, error=error)
