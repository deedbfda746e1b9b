from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ogp_platform import roles
from ogp_platform.text import one_line

from .. import policies, selectors, services
from ..forms import MembershipRequestForm, OrganisationForm, RenameDecisionForm
from ..models import Organisation, OrganisationMembership, OrganisationRename
from .common import add_service_errors, form_page, guarded, require

PAGE_SIZE = 20


@require_GET
def directory(request):
    # A NUL cannot reach the database (PostgreSQL refuses it in a string): it is no letter anyone
    # searches for.
    query = request.GET.get("q", "").replace("\x00", "").strip()[:100]
    kind = request.GET.get("kind", "")
    if kind not in Organisation.Kind.values:
        kind = ""
    organisations = selectors.organisation_directory(kind=kind, query=query)
    page = Paginator(organisations, PAGE_SIZE).get_page(request.GET.get("page"))
    # Whom each organisation on the page may be edited by, read for all of them at once.
    roles.prefetch(request.user, page.object_list)
    editable = {
        organisation.pk
        for organisation in page.object_list
        if policies.can_edit_organisation(request.user, organisation)
    }
    return render(
        request,
        "members/organisation_list.html",
        {
            "page": page,
            "editable": editable,
            "q": query,
            "kind": kind,
            "kinds": Organisation.Kind.choices,
            "can_create": policies.can_create_organisation(request.user),
            "pending_renames": list(selectors.pending_renames())
            if policies.can_decide_rename(request.user)
            else [],
        },
    )


@require_GET
def detail(request, slug):
    organisation = get_object_or_404(Organisation, slug=slug)
    user = request.user
    can_decide = policies.can_decide_membership(user, organisation)
    can_edit = policies.can_edit_organisation(user, organisation)
    people = selectors.organisation_people(organisation)
    return render(
        request,
        "members/organisation_detail.html",
        {
            "organisation": organisation,
            # Its administrators see a new name waiting for approval, or why it was refused.
            "rename": selectors.organisation_latest_rename(organisation) if can_edit else None,
            "can_decide_rename": policies.can_decide_rename(user, organisation),
            "people": people,
            # Nobody removes the last administrator (the service refuses it too).
            "admin_count": sum(membership.is_admin for membership in people),
            "members": organisation.members.exclude(status="onboarding").order_by("name"),
            "membership": selectors.membership_of(user, organisation),
            "role": _("Administrator")
            if policies.is_organisation_admin(user, organisation)
            else _("Member"),
            "pending": selectors.organisation_pending_requests(organisation) if can_decide else [],
            "can_decide": can_decide,
            "can_edit": can_edit,
            "can_manage_admins": policies.can_manage_organisation_admins(user, organisation),
            "can_verify": policies.can_verify_organisation(user, organisation),
            "join_form": MembershipRequestForm(),
        },
    )


@guarded
@require_http_methods(["GET", "POST"])
def create(request):
    require(request, policies.can_create_organisation(request.user))
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        organisation = services.organisation_create(actor=request.user, **form.cleaned_data)
        messages.success(
            request,
            _("%(organisation)s is registered, with you as its administrator.")
            % {"organisation": organisation},
        )
        return redirect(organisation)
    return form_page(
        request,
        form,
        title=_("Register an organisation"),
        submit=_("Register"),
        cancel_url=reverse("members:organisations"),
        breadcrumbs=_breadcrumbs(),
        intro=_(
            "Civil-society, private-sector and academic organisations can take part. "
            "You become the organisation's first administrator."
        ),
    )


@guarded
@require_http_methods(["GET", "POST"])
def edit(request, slug):
    organisation = get_object_or_404(Organisation, slug=slug)
    require(request, policies.can_edit_organisation(request.user, organisation))
    form = OrganisationForm(request.POST or None, instance=organisation)
    # Read before the form sets what was typed on the instance.
    current_name = organisation.name
    if request.method == "POST" and form.is_valid():
        try:
            rename = services.organisation_update(
                actor=request.user,
                organisation=organisation,
                **{name: form.cleaned_data[name] for name in form.changed_data},
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The organisation's details have been saved."))
            if rename is not None:
                messages.info(
                    request,
                    _(
                        "The new name, “%(name)s”, waits for the approval of the OGP support "
                        "unit, because the organisation is verified. Until then it keeps its "
                        "current name."
                    )
                    % {"name": rename.new_name},
                )
            return redirect(organisation)
    return form_page(
        request,
        form,
        title=_("Edit %(organisation)s") % {"organisation": one_line(current_name)},
        submit=_("Save"),
        cancel_url=organisation.get_absolute_url(),
        breadcrumbs=_breadcrumbs(),
        intro=_(
            "The organisation is verified: a new name waits for the approval of the OGP "
            "support unit before it is shown."
        )
        if organisation.verified and not policies.can_decide_rename(request.user, organisation)
        else "",
    )


@guarded
@require_http_methods(["GET", "POST"])
def rename(request, slug, pk):
    """An OGP admin approves or refuses the new name a verified organisation asked for."""
    organisation = get_object_or_404(Organisation, slug=slug)
    require(request, policies.can_decide_rename(request.user, organisation))
    rename = get_object_or_404(
        OrganisationRename.objects.select_related("requested_by"),
        pk=pk,
        organisation=organisation,
        status=OrganisationRename.Status.PENDING,
    )
    form = RenameDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        approve = form.cleaned_data["decision"] == RenameDecisionForm.APPROVE
        try:
            services.organisation_rename_decide(
                actor=request.user,
                rename=rename,
                approve=approve,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("The organisation is now called “%(name)s”.") % {"name": rename.new_name}
                if approve
                else _("The new name has been refused; the organisation keeps its name."),
            )
            return redirect(organisation)
    return form_page(
        request,
        form,
        title=_("Rename of %(organisation)s") % {"organisation": one_line(organisation.name)},
        submit=_("Record the decision"),
        cancel_url=organisation.get_absolute_url(),
        breadcrumbs=[*_breadcrumbs(), (organisation.name, organisation.get_absolute_url())],
        template="members/organisation_rename.html",
        organisation=organisation,
        rename=rename,
    )


def _breadcrumbs():
    return [(_("Organisations"), reverse("members:organisations"))]


@guarded
@require_POST
def join(request, slug):
    organisation = get_object_or_404(Organisation, slug=slug)
    require(request, policies.can_request_membership(request.user, organisation))
    form = MembershipRequestForm(request.POST)
    message = form.cleaned_data["message"] if form.is_valid() else ""
    membership = services.organisation_request_membership(
        user=request.user, organisation=organisation, message=message
    )
    if membership.status == OrganisationMembership.Status.APPROVED:
        messages.info(request, _("You already speak for this organisation."))
    else:
        messages.success(
            request, _("Your request has been sent to the organisation's administrators.")
        )
    return redirect(organisation)


@guarded
@require_POST
def decide(request, slug, pk):
    organisation = get_object_or_404(Organisation, slug=slug)
    require(request, policies.can_decide_membership(request.user, organisation))
    # Only open requests are decided here: an approved admin cannot be refused out of the
    # organisation (which could leave it without any administrator).
    membership = get_object_or_404(
        OrganisationMembership.objects.select_related("user"),
        pk=pk,
        organisation=organisation,
        status=OrganisationMembership.Status.PENDING,
    )
    approve = request.POST.get("decision") == "approve"
    services.organisation_decide_membership(
        actor=request.user, membership=membership, approve=approve
    )
    name = membership.user.get_full_name()
    if approve:
        messages.success(
            request, _("%(person)s may now speak for the organisation.") % {"person": name}
        )
    else:
        messages.success(
            request, _("The request of %(person)s has been refused.") % {"person": name}
        )
    return redirect(organisation)


@guarded
@require_POST
def administrator(request, slug, pk):
    """Make someone who speaks for the organisation an administrator (`grant=1`), or stop them
    being one (`grant=0`)."""
    organisation = get_object_or_404(Organisation, slug=slug)
    require(request, policies.can_manage_organisation_admins(request.user, organisation))
    membership = get_object_or_404(
        OrganisationMembership.objects.select_related("user", "organisation"),
        pk=pk,
        organisation=organisation,
        status=OrganisationMembership.Status.APPROVED,
    )
    grant = request.POST.get("grant") == "1"
    name = membership.user.get_full_name()
    try:
        if grant:
            services.organisation_admin_grant(actor=request.user, membership=membership)
        else:
            services.organisation_admin_revoke(actor=request.user, membership=membership)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("%(person)s is now an administrator of the organisation.") % {"person": name}
            if grant
            else _("%(person)s is no longer an administrator of the organisation.")
            % {"person": name},
        )
    return redirect(organisation)


@guarded
@require_POST
def verify(request, slug):
    organisation = get_object_or_404(Organisation, slug=slug)
    require(request, policies.can_verify_organisation(request.user, organisation))
    verified = request.POST.get("verified") == "1"
    services.organisation_set_verified(
        actor=request.user, organisation=organisation, verified=verified
    )
    messages.success(
        request,
        _("The organisation is now marked as verified.")
        if verified
        else _("The organisation is no longer marked as verified."),
    )
    return redirect(organisation)
