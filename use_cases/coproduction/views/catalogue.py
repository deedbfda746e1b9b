"""The catalogue's pages: the list of enablers with its filters and search, an enabler's page
with its ratings, OGP staff's curation (add, edit, withdraw), and the schemas as templates.

Each form view checks the policy, hands the cleaned values to one service and shows refusals
next to the fields concerned, keeping what was typed."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ogp_platform import pagecache
from ogp_platform.viewtools import add_service_errors, form_page, guarded, require
from participation.policies import has_verified_email

from .. import policies
from ..forms.catalogue import CatalogueFilterForm, EnablerForm, RatingForm, WithdrawForm
from ..models import Enabler
from ..page_scopes import catalogue_page_scopes
from ..selectors import catalogue as selectors
from ..services import catalogue as services
from ..vocabulary import language_label

PAGE_SIZE = 20


def _catalogue_crumbs() -> list:
    return [(_("Catalogue of enablers"), reverse("coproduction:catalogue"))]


def _enabler_crumbs(enabler: Enabler) -> list:
    return [*_catalogue_crumbs(), (enabler.name, enabler.get_absolute_url())]


def _enabler(key: str) -> Enabler:
    enabler = selectors.enabler_for_page(key)
    if enabler is None:
        raise Http404
    return enabler


@require_GET
@pagecache.cached_page(catalogue_page_scopes)
def catalogue(request):
    """The published enablers, filtered and searched through the query string, so that every
    state of the list has a URL. Invalid filter values are ignored, and the page says which."""
    language = selectors.reader_language()
    form = CatalogueFilterForm(request.GET or None, language=language)
    filters = form.filters()
    enablers = selectors.catalogue_enablers(user=request.user, language=language, **filters)
    page = Paginator(enablers, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "coproduction/catalogue/catalogue.html",
        {
            "form": form,
            "page": page,
            "cards": selectors.enabler_cards(page.object_list, language),
            "filtered": form.filtered,
            "searching": bool(filters.get("q")),
            "can_curate": policies.can_curate_catalogue(request.user),
        },
    )


def _enabler_page(request, enabler: Enabler, rating_form=None):
    user = request.user
    page = selectors.enabler_page(user=user, enabler=enabler)
    can_rate = policies.can_rate_enabler(user, enabler)
    if rating_form is None and can_rate:
        own = page.own_rating
        rating_form = RatingForm(
            initial={"stars": own.stars, "comment": own.comment} if own else None
        )
    return render(
        request,
        "coproduction/catalogue/enabler.html",
        {
            "page": page,
            "enabler": enabler,
            "breadcrumbs": _catalogue_crumbs(),
            "rating_form": rating_form if can_rate else None,
            "can_rate": can_rate,
            "must_verify": (
                user.is_authenticated
                and enabler.status == Enabler.Status.PUBLISHED
                and not has_verified_email(user)
            ),
            "can_curate": policies.can_curate_catalogue(user),
        },
    )


@require_GET
@pagecache.cached_page(catalogue_page_scopes)
def enabler(request, key):
    """An enabler's page: what it is, where to find it, the problems it helps with, in how many
    processes it is used, its ratings; a withdrawn one says so, and why."""
    return _enabler_page(request, _enabler(key))


@guarded
@require_POST
def enabler_rate(request, key):
    """A signed-in person rates the enabler, or changes their rating."""
    enabler = _enabler(key)
    require(request, policies.can_rate_enabler(request.user, enabler))
    form = RatingForm(request.POST)
    if form.is_valid():
        try:
            services.enabler_rate(
                actor=request.user,
                enabler=enabler,
                stars=form.cleaned_data["stars"],
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your rating has been saved."))
            return redirect(f"{enabler.get_absolute_url()}#rating")
    return _enabler_page(request, enabler, rating_form=form)


@guarded
@require_http_methods(["GET", "POST"])
def enabler_create(request):
    """OGP staff add an enabler, written in the language they are browsing in."""
    require(request, policies.can_curate_catalogue(request.user))
    form = EnablerForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            enabler = services.enabler_create(actor=request.user, **form.service_values())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The enabler has been added to the catalogue."))
            return redirect(enabler.get_absolute_url())
    return form_page(
        request,
        form,
        title=_("Add an enabler"),
        submit=_("Add the enabler"),
        cancel_url=reverse("coproduction:catalogue"),
        breadcrumbs=_catalogue_crumbs(),
        intro=_(
            "Write its texts in the language you are browsing in; switch language and edit it "
            "to add them in another."
        ),
    )


@guarded
@require_http_methods(["GET", "POST"])
def enabler_edit(request, key):
    """OGP staff change an enabler: its texts in the language they are browsing in, and the
    rest."""
    enabler = _enabler(key)
    require(request, policies.can_curate_catalogue(request.user))
    form = EnablerForm(request.POST if request.method == "POST" else None, enabler=enabler)
    if form.is_bound and form.is_valid():
        try:
            services.enabler_update(actor=request.user, enabler=enabler, **form.service_values())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The enabler has been changed."))
            return redirect(enabler.get_absolute_url())
    return form_page(
        request,
        form,
        title=_("Edit “%(name)s”") % {"name": enabler.name},
        submit=_("Save the changes"),
        cancel_url=enabler.get_absolute_url(),
        breadcrumbs=_enabler_crumbs(enabler),
        intro=_(
            "You are editing its texts in %(language)s; those in other languages stay as they are."
        )
        % {"language": language_label(form.language)},
    )


@guarded
@require_http_methods(["GET", "POST"])
def enabler_withdraw(request, key):
    """OGP staff withdraw an enabler from the catalogue, with a reason."""
    enabler = _enabler(key)
    require(request, policies.can_curate_catalogue(request.user))
    if enabler.status == Enabler.Status.WITHDRAWN:
        messages.info(request, _("This enabler has already been withdrawn."))
        return redirect(enabler.get_absolute_url())
    form = WithdrawForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            services.enabler_withdraw(
                actor=request.user, enabler=enabler, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The enabler has been withdrawn from the catalogue."))
            return redirect(enabler.get_absolute_url())
    return form_page(
        request,
        form,
        title=_("Withdraw “%(name)s”") % {"name": enabler.name},
        submit=_("Withdraw the enabler"),
        cancel_url=enabler.get_absolute_url(),
        breadcrumbs=_enabler_crumbs(enabler),
        intro=_(
            "It leaves the catalogue's list and the suggestions made to tasks. Its page stays, "
            "with your reason, and the processes that use it keep it."
        ),
    )


@require_GET
@pagecache.cached_page(catalogue_page_scopes)
def schemas(request):
    """The schemas, as templates to start a process from: each with its phases, objectives and
    tasks as a nested list."""
    return render(
        request,
        "coproduction/catalogue/schemas.html",
        {
            "templates": selectors.schema_templates(),
            "breadcrumbs": _catalogue_crumbs(),
            "can_create": policies.can_create_process(request.user),
        },
    )
