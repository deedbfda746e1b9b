"""The reasoned-response register (OGP Standard 4): the officers' register of a space's inputs,
with a response form per input and a form to record inputs received outside the platform, and
the public report "How input was considered".

Each change is a POST to one service, then a redirect back to the register at the input's
anchor (PRG). Every page costs the same number of queries whatever the number of inputs: the
totals come from one grouped query, the page of inputs from one more.
"""

from urllib.parse import urlsplit

from django import forms
from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.text import Truncator, capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from ogp_platform import pagecache
from ogp_platform.forms import ServiceModelForm
from ogp_platform.members.views.common import member_breadcrumbs
from ogp_platform.templatetags.placed_messages import placed_messages
from ogp_platform.viewtools import (
    add_service_errors,
    form_page,
    guarded,
    local_path,
    require,
    with_next,
)

from .. import interface, policies, selectors
from ..models import Input
from ..services import register as services
from .votes import comment_url, readable_comment

# --- Forms ---------------------------------------------------------------------------------


class RecordForm(ServiceModelForm):
    """An input received outside the platform."""

    class Meta(ServiceModelForm.Meta):
        model = Input
        fields = [
            "source",
            "received_on",
            "text",
            "author_name",
            "organisation_name",
            "organisation_kind",
        ]
        widgets = {
            "received_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "text": forms.Textarea(attrs={"rows": 8}),
        }
        labels = {"author_name": gettext_lazy("From (person)")}
        help_texts = {
            "text": gettext_lazy(
                "What was said or submitted, in full or faithfully summarised: it is published "
                "in the report with its response."
            ),
            "author_name": gettext_lazy(
                "Optional. Published: leave it empty unless the person agreed to be named."
            ),
            "organisation_name": gettext_lazy("Optional. The organisation that submitted it."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].choices = [
            (value, label)
            for value, label in Input.Source.choices
            if value in services.OFFLINE_SOURCES
        ]
        self.fields["source"].widget = forms.RadioSelect(choices=self.fields["source"].choices)
        self.fields["text"].required = False  # the service says what is missing


class ResponseForm(forms.Form):
    """The reasoned response to one input. `merged_into` and `taken_into` offer the other
    inputs of the register and the space's commitments; the service checks the rules."""

    disposition = forms.ChoiceField(
        label=gettext_lazy("Disposition"),
        choices=Input.Disposition.choices,
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        required=False,
        max_length=services.MAX_REASON_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=gettext_lazy(
            "Required for every disposition but pending. Published with the input, and sent to "
            "the person who wrote it."
        ),
    )
    merged_into = forms.TypedChoiceField(
        label=gettext_lazy("Merged into"),
        required=False,
        coerce=int,
        empty_value=None,
        help_text=gettext_lazy(
            "Only for “Merged into another input”: the input that says the same and carries "
            "the response."
        ),
    )
    taken_into = forms.ChoiceField(
        label=gettext_lazy("Taken into"),
        required=False,
        help_text=gettext_lazy(
            "Optional, for an accepted or partially accepted input: the commitment it went into."
        ),
    )
    next = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, merge_choices=(), children=(), **kwargs):
        super().__init__(*args, **kwargs)
        # Required for every response but "pending", which the form cannot know before it is
        # sent (the service checks it): marked required, as required fields are, for everyone.
        reason = self.fields["reason"]
        reason.marked_required = True
        reason.widget.attrs["aria-required"] = "true"
        self.fields["merged_into"].choices = [("", "—"), *merge_choices]
        self.children = {_child_key(obj): obj for obj in children}
        self.fields["taken_into"].choices = [
            ("", "—"),
            *((key, interface.adapter_for(obj).title(obj)) for key, obj in self.children.items()),
        ]

    def service_arguments(self, register: list[Input]) -> dict:
        data = self.cleaned_data
        by_pk = {item.pk: item for item in register}
        return {
            "disposition": data["disposition"],
            "reason": data["reason"],
            "merged_into": by_pk.get(data["merged_into"]),
            "taken_into": self.children.get(data["taken_into"]),
        }


class FilterForm(forms.Form):
    disposition = forms.ChoiceField(
        label=gettext_lazy("Disposition"),
        required=False,
        choices=[("", gettext_lazy("All dispositions")), *Input.Disposition.choices],
    )
    source = forms.ChoiceField(
        label=gettext_lazy("Source"),
        required=False,
        choices=[("", gettext_lazy("All sources")), *Input.Source.choices],
    )

    def filters(self) -> dict:
        """The valid filters; a value that is not understood is ignored (and shown as such)."""
        if not self.is_bound:
            return {"disposition": None, "source": None}
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {name: data.get(name) or None for name in ("disposition", "source")}


def _child_key(obj) -> str:
    return f"{selectors.content_type_of(obj).pk}:{obj.pk}"


# --- Loading -------------------------------------------------------------------------------


def _readable_space(request, obj):
    """The object if it is a participable space the user may read, else 404."""
    if obj is None or not interface.is_participable(obj):
        raise Http404
    adapter = interface.adapter_for(obj)
    if adapter.space(obj) != obj or not adapter.may_read(request.user, obj):
        raise Http404
    return obj


def _find_space(content_type_id: int, object_id: int):
    """The participable object the URL names, or None."""
    try:
        model = ContentType.objects.get_for_id(content_type_id).model_class()
    except ContentType.DoesNotExist:
        return None
    if model is None or not interface.is_participable(model):
        return None
    return model._default_manager.filter(pk=object_id).first()


def _space(request, content_type_id: int, object_id: int):
    return _readable_space(request, _find_space(content_type_id, object_id))


def _space_member_id(content_type_id: int, object_id: int):
    """The member owning the space, for the page cache (None: no such participable space)."""
    space = _find_space(content_type_id, object_id)
    return interface.adapter_for(space).member(space).pk if space is not None else None


def _input(request, pk: int) -> tuple[Input, object]:
    item = get_object_or_404(
        Input.objects.select_related(
            "member",
            "comment__author",
            "comment__organisation",
            "comment__official_member",
            "merged_into",
            "responded_by",
        ),
        pk=pk,
    )
    return item, _readable_space(request, item.space)


def _breadcrumbs(space) -> list:
    adapter = interface.adapter_for(space)
    return [
        *member_breadcrumbs(adapter.member(space)),
        (adapter.title(space), space.get_absolute_url()),
    ]


def _space_args(space) -> list:
    return [selectors.content_type_of(space).pk, space.pk]


def register_url(space) -> str:
    return reverse("participation:register", args=_space_args(space))


def report_url(space) -> str:
    return reverse("participation:register_report", args=_space_args(space))


def _register_page(value, space) -> str:
    """The page of the register (filters and page number in its query) an officer came from:
    `value` when it is a path of this site, else the register's first page. Never with a
    fragment: the way back adds the input's."""
    return local_path((value or "").split("#", 1)[0], register_url(space))


def _listed_on(page: str, item: Input, space) -> bool:
    """Whether the register's page at `page` lists the input under its filters (after its
    response: an input answered from the "pending" filter leaves it)."""
    parts = urlsplit(page)
    if parts.path != register_url(space):
        return False
    filters = FilterForm(QueryDict(parts.query) or None).filters()
    return filters["disposition"] in (None, item.disposition) and filters["source"] in (
        None,
        item.source,
    )


def _input_place(item: Input) -> str:
    """The place of the register page where the confirmation about an input shows: in it."""
    return f"input-{item.pk}"


def _saved(request, item: Input, space):
    """Back to the page of the register the officer came from, with its filters and page
    number, with a confirmation that names the input: shown in the input when the page still
    lists it (the page scrolls to it), else at the top of the page, which says why it is gone."""
    page = _register_page(request.POST.get("next"), space)
    listed = _listed_on(page, item, space)
    text = _("The response to input no. %(number)s (“%(excerpt)s”) is saved: %(disposition)s.") % {
        "number": item.pk,
        "excerpt": _excerpt(item, 10),
        "disposition": item.get_disposition_display(),
    }
    if listed:
        messages.success(request, text, extra_tags=_input_place(item))
        return redirect(f"{page}#input-{item.pk}")
    if urlsplit(page).path == register_url(space):
        text = f"{text} {_('It no longer shows under these filters.')}"
    messages.success(request, text)
    return redirect(page)


def _excerpt(item: Input, words: int = 12) -> str:
    if item.comment_id is not None:
        comment = item.comment
        if comment.is_deleted:
            text = _("(deleted by its author)")
        elif comment.is_hidden:
            text = _("(hidden by a moderator)")
        else:
            text = comment.body
    else:
        text = item.text
    return Truncator(" ".join(text.split())).words(words)


def _who(item: Input) -> str:
    if item.comment_id is not None:
        comment = item.comment
        name = comment.author.get_full_name()
        return f"{name}, {comment.organisation.name}" if comment.organisation_id else name
    return ", ".join(part for part in (item.author_name, item.organisation_name) if part)


def _decorate(items: list[Input], space) -> None:
    """What each input shows besides its own fields: the link to its comment, what the comment
    was written on (the plan, a commitment or a milestone: one query per kind of object, the
    space itself costs none), and the title and address of what it was taken into (already
    prefetched)."""
    written_on = selectors.participable_objects(
        [
            (item.comment.target_type_id, item.comment.target_id)
            for item in items
            if item.comment_id is not None
        ],
        known=[space],
    )
    for item in items:
        target = (
            written_on.get((item.comment.target_type_id, item.comment.target_id))
            if item.comment_id is not None
            else None
        )
        if target is not None:
            item.written_on_kind = capfirst(target._meta.verbose_name)
            item.written_on_title = interface.adapter_for(target).title(target)
            item.written_on_url = target.get_absolute_url()
        else:
            item.written_on_kind = item.written_on_title = item.written_on_url = ""
        item.who = _who(item)
        item.comment_link = (
            reverse("participation:register_comment", args=[item.comment_id])
            if item.comment_id is not None
            else ""
        )
        taken_into = item.taken_into if item.taken_into_id is not None else None
        if taken_into is not None and interface.is_participable(taken_into):
            item.taken_into_title = interface.adapter_for(taken_into).title(taken_into)
            item.taken_into_url = taken_into.get_absolute_url()
        else:
            item.taken_into_title = item.taken_into_url = ""


def _listing(request, space, *, officer: bool) -> dict:
    """The context both register pages share: filters, figures over all inputs, and one page
    of the inputs that match the filters."""
    filter_form = FilterForm(request.GET if request.GET else None)
    filters = filter_form.filters()
    totals = selectors.register_totals(space)
    paginator = Paginator(selectors.register_inputs(space, **filters), selectors.REGISTER_PER_PAGE)
    paginator.count = totals.count(**filters)  # counted already: spares the paginator's query
    page = paginator.get_page(request.GET.get("page"))
    page.object_list = list(page.object_list) if paginator.count else []
    _decorate(page.object_list, space)
    placed = []
    if officer:
        # The confirmation of a response shows in the input the page scrolls to.
        for item in page.object_list:
            item.status_messages = placed_messages(request, _input_place(item))
            if item.status_messages:
                placed.append(_input_place(item))
    adapter = interface.adapter_for(space)
    return {
        "placed_messages": placed,
        "space": space,
        "space_title": adapter.title(space),
        "totals": totals,
        "median_days": selectors.register_median_days(space),
        "filter_form": filter_form,
        "filtered": any(filters.values()),
        "page": page,
        "inputs": page.object_list,
        "officer": officer,
        "register_url": register_url(space),
        "report_url": report_url(space),
        "record_url": reverse("participation:register_record", args=_space_args(space)),
        "breadcrumbs": _breadcrumbs(space),
    }


# --- Views ---------------------------------------------------------------------------------


@guarded
@require_GET
def register(request, content_type_id, object_id):
    """The officers' register: every input of the space, its response, and the forms."""
    space = _space(request, content_type_id, object_id)
    require(request, policies.can_respond(request.user, space))
    return render(
        request, "participation/register/register.html", _listing(request, space, officer=True)
    )


@require_GET
@pagecache.cached_page(pagecache.owner_scopes("participation.space", _space_member_id))
def report(request, content_type_id, object_id):
    """The public report "How input was considered", for whoever may read the space."""
    space = _space(request, content_type_id, object_id)
    context = _listing(request, space, officer=False)
    context["can_respond"] = policies.can_respond(request.user, space)
    return render(request, "participation/register/report.html", context)


@guarded
@require_http_methods(["GET", "POST"])
def record(request, content_type_id, object_id):
    """Record an input received outside the platform."""
    space = _space(request, content_type_id, object_id)
    require(request, policies.can_respond(request.user, space))
    form = RecordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            item = services.input_record(actor=request.user, space=space, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Input no. %(number)s has been recorded: it is pending a response.")
                % {"number": item.pk},
            )
            return redirect(f"{register_url(space)}#input-{item.pk}")
    return form_page(
        request,
        form,
        title=_("Record an input received outside the platform"),
        submit=_("Record the input"),
        cancel_url=register_url(space),
        breadcrumbs=[*_breadcrumbs(space), (_("Register of inputs"), register_url(space))],
        intro=_(
            "A written submission, a point raised at a forum or public meeting, an email: it "
            "enters the register of %(space)s with comments made on the platform, and gets a "
            "reasoned response like them."
        )
        % {"space": interface.adapter_for(space).title(space)},
    )


def _merge_choices(space, item: Input) -> tuple[list, list[Input]]:
    others = [
        other
        for other in selectors.register_of(space).select_related("comment").order_by("pk")
        if other.pk != item.pk
    ]
    choices = [
        (
            other.pk,
            _("No. %(number)s · %(source)s · %(excerpt)s")
            % {
                "number": other.pk,
                "source": other.get_source_display(),
                "excerpt": _excerpt(other, 10),
            },
        )
        for other in others
    ]
    return choices, others


@guarded
@require_http_methods(["GET", "POST"])
def respond(request, pk):
    """Give one input its reasoned response."""
    item, space = _input(request, pk)
    require(request, policies.can_respond(request.user, space))
    merge_choices, others = _merge_choices(space, item)
    initial = {
        "disposition": item.disposition,
        "reason": item.reason,
        "merged_into": item.merged_into_id,
        "taken_into": (
            f"{item.taken_into_type_id}:{item.taken_into_id}" if item.taken_into_id else ""
        ),
    }
    # The page of the register the officer came from: the way back after saving, and Cancel's.
    back = _register_page(request.POST.get("next") or request.GET.get("next"), space)
    initial["next"] = back
    form = ResponseForm(
        with_next(request.POST or None, back),
        initial=initial,
        merge_choices=merge_choices,
        children=services.space_children(space),
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.input_respond(
                actor=request.user, input=item, **form.service_arguments(others)
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _saved(request, saved, space)
    _decorate([item], space)
    return form_page(
        request,
        form,
        title=_("Respond to input no. %(number)s") % {"number": item.pk},
        submit=_("Save the response"),
        cancel_url=f"{back}#input-{item.pk}",
        breadcrumbs=[*_breadcrumbs(space), (_("Register of inputs"), register_url(space))],
        template="participation/register/respond.html",
        input=item,
    )


@require_GET
def comment(request, pk):
    """Where a comment of the register stands: its place in its thread."""
    return redirect(comment_url(readable_comment(request, pk)))


urlpatterns = [
    path("register/<int:content_type_id>/<int:object_id>/", register, name="register"),
    path(
        "register/<int:content_type_id>/<int:object_id>/report/",
        report,
        name="register_report",
    ),
    path(
        "register/<int:content_type_id>/<int:object_id>/record/",
        record,
        name="register_record",
    ),
    path("register/input/<int:pk>/respond/", respond, name="register_respond"),
    path("register/comments/<int:pk>/", comment, name="register_comment"),
]
