"""Consultation pages: hold one on a space (a plan in co-creation), change it, read it, and open
or close it by hand. Each change is a POST to one service, then a redirect back to the space's
page, where the consultation panel (`{% consultation_panel plan %}`) shows the result."""

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from ogp_platform.viewtools import add_service_errors, form_page, guarded, require

from .. import interface, policies
from ..forms import ClosingForm, ConsultationForm
from ..links import consultation_url
from ..models import Consultation
from ..services import consultations as services
from .common import readable_space, space_breadcrumbs, space_from_url


def _consultation(request, pk: int) -> tuple[Consultation, object]:
    consultation = get_object_or_404(Consultation, pk=pk)
    return consultation, readable_space(request, consultation.space)


def _space_url(space) -> str:
    return f"{interface.url_of(space)}#consultation"


def _initial_window() -> dict:
    """A consultation opening now (to the minute) for four weeks."""
    now = timezone.localtime().replace(second=0, microsecond=0)
    return {"opens_at": now, "closes_at": now + datetime.timedelta(weeks=4)}


# --- Views ---------------------------------------------------------------------------------


@guarded
@require_http_methods(["GET", "POST"])
def create(request, kind, object_id):
    space = space_from_url(request, kind, object_id)
    require(request, policies.can_hold_consultation(request.user, space))
    form = ConsultationForm(request.POST or None, initial=_initial_window())
    if request.method == "POST" and form.is_valid():
        try:
            services.consultation_create(actor=request.user, space=space, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _(
                    "The consultation is scheduled. It opens and closes by itself at the times "
                    "you chose."
                ),
            )
            return redirect(_space_url(space))
    return form_page(
        request,
        form,
        title=_("Open a consultation on %(space)s") % {"space": interface.title_of(space)},
        submit=_("Schedule the consultation"),
        cancel_url=_space_url(space),
        breadcrumbs=space_breadcrumbs(space),
        intro=_(
            "While it is open, people with a verified account comment on the %(space)s and "
            "its %(items)s, and support or oppose what is put to a vote. Every input gets a "
            "reasoned response in the register of the %(space)s."
        )
        % interface.space_adapter(space).nouns.as_dict(),
    )


@require_GET
def detail(request, pk):
    consultation, space = _consultation(request, pk)
    user = request.user
    return render(
        request,
        "participation/consultations/detail.html",
        {
            "consultation": consultation,
            "space": space,
            "space_title": interface.title_of(space),
            "space_url": interface.url_of(space),
            "can_edit": policies.can_change_consultation(user, consultation, space),
            "can_open": policies.can_open_consultation(user, consultation, space),
            "can_close": policies.can_close_consultation(user, consultation, space),
            "breadcrumbs": space_breadcrumbs(space),
        },
    )


@guarded
@require_http_methods(["GET", "POST"])
def edit(request, pk):
    consultation, space = _consultation(request, pk)
    require(request, policies.can_change_consultation(request.user, consultation, space))
    form_class = ClosingForm if consultation.is_open else ConsultationForm
    form = form_class(request.POST or None, instance=consultation)
    if request.method == "POST" and form.is_valid():
        try:
            services.consultation_update(
                actor=request.user, consultation=consultation, **form.service_fields()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The consultation has been changed."))
            return redirect(_space_url(space))
    return form_page(
        request,
        form,
        title=_("Change the consultation “%(title)s”") % {"title": consultation.title},
        submit=_("Save"),
        cancel_url=_space_url(space),
        breadcrumbs=[
            *space_breadcrumbs(space),
            (consultation.title, consultation_url(consultation)),
        ],
    )


ACTIONS = {
    "open": {
        "allowed": policies.can_open_consultation,
        "service": services.consultation_open,
        "label": gettext_lazy("Open now"),
        "explanation": gettext_lazy(
            "The consultation opens now instead of at its opening time: people can comment and "
            "vote until it closes."
        ),
        "done": gettext_lazy("The consultation is open."),
    },
    "close": {
        "allowed": policies.can_close_consultation,
        "service": services.consultation_close,
        "label": gettext_lazy("Close now"),
        "explanation": gettext_lazy(
            "The consultation closes now instead of at its closing time: comments and votes "
            "stop, and everything said stays readable. It cannot be reopened."
        ),
        "done": gettext_lazy("The consultation is closed."),
        "danger": True,
    },
}


def _act(request, pk, action: str):
    """GET asks to confirm; POST does it and goes back to the space's page."""
    spec = ACTIONS[action]
    consultation, space = _consultation(request, pk)
    require(request, spec["allowed"](request.user, consultation, space))
    errors = []
    if request.method == "POST":
        try:
            spec["service"](actor=request.user, consultation=consultation)
        except ValidationError as error:
            errors = error.messages
        else:
            messages.success(request, spec["done"])
            return redirect(_space_url(space))
    return render(
        request,
        "participation/consultations/confirm.html",
        {
            "consultation": consultation,
            "space": space,
            "action": spec,
            "errors": errors,
            "cancel_url": _space_url(space),
            "breadcrumbs": space_breadcrumbs(space),
        },
        status=400 if errors else 200,
    )


@guarded
@require_http_methods(["GET", "POST"])
def open_now(request, pk):
    return _act(request, pk, "open")


@guarded
@require_http_methods(["GET", "POST"])
def close_now(request, pk):
    return _act(request, pk, "close")
