"""Consultation pages: hold one on a space (a plan in co-creation), change it, read it, and open
or close it by hand. Each change is a POST to one service, then a redirect back to the space's
page, where the consultation panel (`{% consultation_panel plan %}`) shows the result."""

import datetime

from django import forms
from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from ogp_platform.forms import ServiceModelForm
from ogp_platform.members.views.common import member_breadcrumbs
from ogp_platform.viewtools import add_service_errors, form_page, guarded, require

from .. import interface, policies
from ..models import Consultation
from ..selectors import content_type_of
from ..services import consultations as services

# --- Forms ---------------------------------------------------------------------------------


class DateTimeInput(forms.DateTimeInput):
    """The browser's date-and-time picker; the value is read in the site's time zone."""

    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


def _to_the_minute(form) -> None:
    """The inputs show times to the minute: compare what comes back with the stored times to
    the minute too, so that an untouched time does not count as changed."""
    for name in ("opens_at", "closes_at"):
        if name in form.fields and form.initial.get(name):
            form.initial[name] = form.initial[name].replace(second=0, microsecond=0)


def _time_zone_help(text) -> str:
    return _("%(text)s Date and time in the time zone %(zone)s.") % {
        "text": text,
        "zone": timezone.get_current_timezone_name(),
    }


class ConsultationForm(ServiceModelForm):
    """Everything about a consultation that is scheduled (not yet open)."""

    class Meta(ServiceModelForm.Meta):
        model = Consultation
        fields = ["title", "rules", "questions", "opens_at", "closes_at"]
        widgets = {
            "rules": forms.Textarea(attrs={"rows": 6}),
            "questions": forms.Textarea(attrs={"rows": 4}),
            "opens_at": DateTimeInput(),
            "closes_at": DateTimeInput(),
        }
        labels = {"opens_at": gettext_lazy("Opens"), "closes_at": gettext_lazy("Closes")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _to_the_minute(self)
        self.fields["opens_at"].help_text = _time_zone_help(
            _("It opens by itself at this time; you can also open it earlier by hand.")
        )
        self.fields["closes_at"].help_text = _time_zone_help(
            _(
                "It closes by itself at this time; comments and votes stop, and everything stays "
                "readable."
            )
        )

    def clean(self):
        """The order of the dates is checked here too, so that its message shows with the
        form's other errors (the service checks everything again)."""
        data = super().clean()
        opens, closes = data.get("opens_at"), data.get("closes_at")
        if opens and closes and closes <= opens:
            self.add_error("closes_at", _("The consultation must close after it opens."))
        return data


class ClosingForm(ServiceModelForm):
    """Of an open consultation, only the closing time changes."""

    class Meta(ServiceModelForm.Meta):
        model = Consultation
        fields = ["closes_at"]
        widgets = {"closes_at": DateTimeInput()}
        labels = {"closes_at": gettext_lazy("Closes")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _to_the_minute(self)
        self.fields["closes_at"].help_text = _time_zone_help(
            _("The consultation is open: you can move its closing time, but not into the past.")
        )


# --- Loading -------------------------------------------------------------------------------


def _readable_space(request, obj):
    """The object if it is a participable space the user may read, else 404."""
    if obj is None or not interface.is_participable(obj):
        raise Http404
    adapter = interface.adapter_for(obj)
    if adapter.space(obj) != obj or not adapter.may_read(request.user, obj):
        raise Http404
    return obj


def _space(request, content_type_id: int, object_id: int):
    try:
        model = ContentType.objects.get_for_id(content_type_id).model_class()
    except ContentType.DoesNotExist:
        raise Http404 from None
    if model is None or not interface.is_participable(model):
        raise Http404
    return _readable_space(request, model._default_manager.filter(pk=object_id).first())


def _consultation(request, pk: int) -> tuple[Consultation, object]:
    consultation = get_object_or_404(Consultation, pk=pk)
    return consultation, _readable_space(request, consultation.space)


def _space_url(space) -> str:
    return f"{space.get_absolute_url()}#consultation"


def _breadcrumbs(space) -> list:
    adapter = interface.adapter_for(space)
    return [
        *member_breadcrumbs(adapter.member(space)),
        (adapter.title(space), space.get_absolute_url()),
    ]


def _initial_window() -> dict:
    """A consultation opening now (to the minute) for four weeks."""
    now = timezone.localtime().replace(second=0, microsecond=0)
    return {"opens_at": now, "closes_at": now + datetime.timedelta(weeks=4)}


# --- Views ---------------------------------------------------------------------------------


@guarded
@require_http_methods(["GET", "POST"])
def create(request, content_type_id, object_id):
    space = _space(request, content_type_id, object_id)
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
        title=_("Open a consultation on %(space)s")
        % {"space": interface.adapter_for(space).title(space)},
        submit=_("Schedule the consultation"),
        cancel_url=_space_url(space),
        breadcrumbs=_breadcrumbs(space),
        intro=_(
            "While it is open, people with a verified account comment on the plan, its "
            "commitments and milestones, and support or oppose commitments. Every input gets "
            "a reasoned response in the plan's register."
        ),
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
            "space_title": interface.adapter_for(space).title(space),
            "can_edit": policies.can_change_consultation(user, consultation, space),
            "can_open": policies.can_open_consultation(user, consultation, space),
            "can_close": policies.can_close_consultation(user, consultation, space),
            "breadcrumbs": _breadcrumbs(space),
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
            *_breadcrumbs(space),
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
            "breadcrumbs": _breadcrumbs(space),
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


def consultation_url(consultation: Consultation) -> str:
    return reverse("participation:consultation_detail", args=[consultation.pk])


def create_url(space) -> str:
    return reverse("participation:consultation_create", args=[content_type_of(space).pk, space.pk])


urlpatterns = [
    path(
        "consultations/new/<int:content_type_id>/<int:object_id>/",
        create,
        name="consultation_create",
    ),
    path("consultations/<int:pk>/", detail, name="consultation_detail"),
    path("consultations/<int:pk>/edit/", edit, name="consultation_edit"),
    path("consultations/<int:pk>/open/", open_now, name="consultation_open"),
    path("consultations/<int:pk>/close/", close_now, name="consultation_close"),
]
