"""The reasoned-response register (OGP Standard 4): the officers' register of a space's inputs,
with a response form per input and a form to record inputs received outside the platform, and
the public report "How input was considered".

Each change is a POST to one service, then a redirect back to the register at the input's
anchor (PRG). Every page costs the same number of queries whatever the number of inputs: the
totals come from one grouped query, the page of inputs from one more.
"""

from urllib.parse import urlsplit

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import Truncator, capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from ogp_platform import pagecache
from ogp_platform.templatetags.placed_messages import placed_messages
from ogp_platform.viewtools import (
    add_service_errors,
    form_page,
    guarded,
    requested_next,
    require,
    with_next,
)

from .. import interface, policies, selectors
from ..forms import FilterForm, RecordForm, ResponseForm
from ..links import record_url, register_url, report_url
from ..models import Input
from ..services import register as services
from .common import (
    comment_url,
    participable,
    readable_comment,
    readable_space,
    space_breadcrumbs,
    space_from_url,
)

# --- Loading -------------------------------------------------------------------------------


def _space_member_id(kind: str, object_id: int):
    """The primary member of the space, for the page cache (None: no such participable
    space)."""
    space = participable(kind, object_id)
    if not interface.is_space(space):
        return None
    return interface.space_adapter(space).primary_member(space).pk


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
    return item, readable_space(request, item.space)


def _register_page(request, space) -> str:
    """The page of the register (filters and page number in its query) an officer came from
    (`next`, when it is a path of this site), else the register's first page. Never with a
    fragment: the way back adds the input's."""
    return requested_next(request, register_url(space)).split("#", 1)[0]


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
    page = _register_page(request, space)
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


def _decorate(items: list[Input], space, user) -> None:
    """What each input shows besides its own fields: the link to its comment, what the comment
    was written on (the space or what it holds, as far as the user may read it: one query per
    kind of object, the space itself costs none), and the title and address of what it was
    taken into (already prefetched)."""
    written_on = selectors.participable_objects(
        [
            (item.comment.target_type_id, item.comment.target_id)
            for item in items
            if item.comment_id is not None
        ],
        user=user,
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
            item.written_on_title = interface.title_of(target)
            item.written_on_url = interface.url_of(target)
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
            item.taken_into_title = interface.title_of(taken_into)
            item.taken_into_url = interface.url_of(taken_into)
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
    _decorate(page.object_list, space, request.user)
    placed = []
    if officer:
        # The confirmation of a response shows in the input the page scrolls to.
        for item in page.object_list:
            item.status_messages = placed_messages(request, _input_place(item))
            if item.status_messages:
                placed.append(_input_place(item))
    adapter = interface.space_adapter(space)
    return {
        "placed_messages": placed,
        "space": space,
        "space_title": adapter.title(space),
        "space_url": adapter.url(space),
        "nouns": adapter.nouns,
        "register_rule": adapter.register_rule(space),
        "totals": totals,
        "median_days": selectors.register_median_days(space),
        "filter_form": filter_form,
        "filtered": any(filters.values()),
        "page": page,
        "inputs": page.object_list,
        "officer": officer,
        "register_url": register_url(space),
        "report_url": report_url(space),
        "record_url": record_url(space),
        "breadcrumbs": space_breadcrumbs(space),
    }


# --- Views ---------------------------------------------------------------------------------


@guarded
@require_GET
def register(request, kind, object_id):
    """The officers' register: every input of the space, its response, and the forms."""
    space = space_from_url(request, kind, object_id)
    require(request, policies.can_respond(request.user, space))
    return render(
        request, "participation/register/register.html", _listing(request, space, officer=True)
    )


@require_GET
@pagecache.cached_page(pagecache.owner_scopes("participation.space", _space_member_id))
def report(request, kind, object_id):
    """The public report "How input was considered", for whoever may read the space."""
    space = space_from_url(request, kind, object_id)
    context = _listing(request, space, officer=False)
    context["can_respond"] = policies.can_respond(request.user, space)
    return render(request, "participation/register/report.html", context)


@guarded
@require_http_methods(["GET", "POST"])
def record(request, kind, object_id):
    """Record an input received outside the platform."""
    space = space_from_url(request, kind, object_id)
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
        breadcrumbs=[*space_breadcrumbs(space), (_("Register of inputs"), register_url(space))],
        intro=_(
            "A written submission, a point raised at a forum or public meeting, an email: it "
            "enters the register of %(space)s with comments made on the platform, and gets a "
            "reasoned response like them."
        )
        % {"space": interface.title_of(space)},
    )


def _taken_into_key(item: Input) -> str:
    """The response form's value for what the input was taken into (see `forms.child_key`)."""
    if item.taken_into_id is None:
        return ""
    registration = interface.registration_for_content_type_id(item.taken_into_type_id)
    return f"{registration.slug}:{item.taken_into_id}" if registration is not None else ""


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
        "taken_into": _taken_into_key(item),
    }
    # The page of the register the officer came from: the way back after saving, and Cancel's.
    back = _register_page(request, space)
    initial["next"] = back
    form = ResponseForm(
        with_next(request.POST or None, back),
        initial=initial,
        merge_choices=merge_choices,
        children=services.space_children(space),
        nouns=interface.space_adapter(space).nouns,
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
    _decorate([item], space, request.user)
    return form_page(
        request,
        form,
        title=_("Respond to input no. %(number)s") % {"number": item.pk},
        submit=_("Save the response"),
        cancel_url=f"{back}#input-{item.pk}",
        breadcrumbs=[*space_breadcrumbs(space), (_("Register of inputs"), register_url(space))],
        template="participation/register/respond.html",
        input=item,
    )


@require_GET
def comment(request, pk):
    """Where a comment of the register stands: its place in its thread."""
    return redirect(comment_url(readable_comment(request, pk)))
