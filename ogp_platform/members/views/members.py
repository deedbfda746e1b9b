from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ... import pagecache
from .. import forum, policies, selectors, services
from ..forms import (
    DirectoryFilterForm,
    InstitutionForm,
    InvitationForm,
    MemberDetailsForm,
    StatusForm,
)
from ..models import Institution, Invitation, Member, MemberRole
from .common import (
    add_service_errors,
    form_page,
    guarded,
    member_breadcrumbs,
    redirect_back,
    require,
    visible_member,
)

PAGE_SIZE = 20


@require_GET
@pagecache.cached_page(lambda request: (pagecache.EPOCH, pagecache.DIRECTORY))
def directory(request):
    form = DirectoryFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    members = selectors.member_directory(
        user=request.user,
        kind=filters.get("kind", ""),
        region=filters.get("region", ""),
        status=filters.get("status", ""),
        query=filters.get("q", "").strip(),
    )
    page = Paginator(members, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "members/member_list.html",
        {
            "form": form,
            "page": page,
            "filtered": any(filters.values()),
        },
    )


@require_GET
@pagecache.cached_page(pagecache.owner_by(Member, "slug", "pk"))
def detail(request, slug):
    member = selectors.member_detail(user=request.user, slug=slug)
    if member is None:
        raise Http404
    user = request.user
    roles = list(member.roles.all())
    return render(
        request,
        "members/member_detail.html",
        {
            "member": member,
            "points_of_contact": [r for r in roles if r.role == MemberRole.Role.POINT_OF_CONTACT],
            "latest_change": selectors.member_latest_status_change(member),
            "activity": forum.member_activity(member),
            "can_change_status": policies.can_change_status(user, member),
            "can_manage_institutions": policies.can_manage_institutions(user, member),
            "can_manage_team": policies.can_manage_team(user, member),
            "can_draft": policies.can_draft_plans(user, member),
            "can_onboard": policies.can_onboard(user),
        },
    )


@guarded
@require_http_methods(["GET", "POST"])
def change_status(request, slug):
    member = visible_member(request, slug)
    require(request, policies.can_change_status(request.user, member))
    form = StatusForm(request.POST or None, initial={"status": member.status})
    if request.method == "POST" and form.is_valid():
        try:
            services.member_change_status(actor=request.user, member=member, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("The status of %(member)s is now “%(status)s”.")
                % {"member": member, "status": member.get_status_display()},
            )
            return redirect(member)
    return form_page(
        request,
        form,
        title=_("Change the status of %(member)s") % {"member": member.localised_name},
        submit=_("Change status"),
        cancel_url=member.get_absolute_url(),
        breadcrumbs=member_breadcrumbs(member),
        template="members/member_status_form.html",
        member=member,
        changes=member.status_changes.select_related("changed_by")[:20],
    )


@guarded
@require_http_methods(["GET", "POST"])
def edit(request, slug):
    member = visible_member(request, slug)
    require(request, policies.can_manage_team(request.user, member))
    form = MemberDetailsForm(request.POST or None, instance=member)
    if request.method == "POST" and form.is_valid():
        services.member_update(
            actor=request.user,
            member=member,
            **{name: form.cleaned_data[name] for name in form.changed_data},
        )
        messages.success(request, _("The member's details have been saved."))
        return redirect(member)
    return form_page(
        request,
        form,
        title=_("Edit the details of %(member)s") % {"member": member.localised_name},
        submit=_("Save"),
        cancel_url=member.get_absolute_url(),
        breadcrumbs=member_breadcrumbs(member),
    )


@guarded
@require_http_methods(["GET", "POST"])
def institution_form(request, slug, pk=None):
    member = visible_member(request, slug)
    require(request, policies.can_manage_institutions(request.user, member))
    institution = get_object_or_404(Institution, pk=pk, member=member) if pk else None
    form = InstitutionForm(request.POST or None, instance=institution)
    if request.method == "POST" and form.is_valid():
        try:
            services.institution_save(
                actor=request.user, member=member, institution=institution, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The institution has been saved."))
            return redirect(f"{member.get_absolute_url()}#institutions")
    return form_page(
        request,
        form,
        title=_("Edit the institution") if institution else _("Add an institution"),
        submit=_("Save"),
        cancel_url=f"{member.get_absolute_url()}#institutions",
        breadcrumbs=member_breadcrumbs(member),
    )


@guarded
@require_http_methods(["GET", "POST"])
def team(request, slug):
    """People with a role on the member, open invitations, and a form to invite more."""
    member = visible_member(request, slug)
    require(request, policies.can_manage_team(request.user, member))
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = services.invitation_create(
                actor=request.user, member=member, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("An invitation has been sent to %(email)s.") % {"email": invitation.email},
            )
            return redirect("members:team", slug=member.slug)
    roles = member.roles.select_related("user", "institution").order_by("role", "granted_at")
    return render(
        request,
        "members/member_team.html",
        {
            "member": member,
            "form": form,
            "roles": roles,
            "invitations": selectors.member_open_invitations(member),
        },
    )


@guarded
@require_POST
def role_remove(request, slug, pk):
    member = visible_member(request, slug)
    require(request, policies.can_manage_team(request.user, member))
    role = get_object_or_404(MemberRole, pk=pk, member=member)
    services.member_role_remove(actor=request.user, role=role)
    messages.success(
        request,
        _("%(person)s no longer has the role “%(role)s”.")
        % {"person": role.user.get_full_name(), "role": role.get_role_display()},
    )
    return redirect("members:team", slug=member.slug)


def _invitation_action(request, slug, pk, action, done_message):
    member = visible_member(request, slug)
    require(request, policies.can_manage_team(request.user, member))
    invitation = get_object_or_404(Invitation, pk=pk, member=member)
    try:
        action(actor=request.user, invitation=invitation)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done_message % {"email": invitation.email})
    return redirect_back(request, reverse("members:team", kwargs={"slug": member.slug}))


@guarded
@require_POST
def invitation_resend(request, slug, pk):
    return _invitation_action(
        request,
        slug,
        pk,
        services.invitation_resend,
        _("A new invitation link has been sent to %(email)s."),
    )


@guarded
@require_POST
def invitation_revoke(request, slug, pk):
    return _invitation_action(
        request,
        slug,
        pk,
        services.invitation_revoke,
        _("The invitation to %(email)s has been withdrawn."),
    )
