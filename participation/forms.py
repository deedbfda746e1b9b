"""Participation's forms: comments, consultations, the register, moderation and notification
settings. Views build them; services check every rule again."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ogp_platform.forms import ServiceModelForm
from ogp_platform.members.models import Organisation
from ogp_platform.members.policies import organisations_user_speaks_for

from . import interface
from .models import Consultation, Input, NotificationSetting, Report
from .services import comments as comment_services
from .services import register as register_services

# --- Comments -------------------------------------------------------------------------------

MARKDOWN_HELP = gettext_lazy(
    "Plain text. You may write *emphasis*, **strong**, links as [text](https://…) and lists "
    "(lines starting with - or 1.). Up to 5,000 characters."
)


def length_counter() -> dict:
    """What static/js/char-count.js needs to count the characters left in a comment box: the
    limit (also stated in the hint, for those without JavaScript) and its two messages. No
    `maxlength` attribute: browsers cut a longer paste without a word; the service refuses a
    comment that is too long and says by how much, and nothing is lost."""
    return {
        "limit": comment_services.MAX_LENGTH,
        "left": gettext_lazy("Characters left: %(count)s"),
        "over": gettext_lazy("Characters over the limit: %(count)s. Shorten the text to post it."),
    }


def _body_widget(rows: int) -> forms.Textarea:
    counter = length_counter()
    return forms.Textarea(
        attrs={
            "rows": rows,
            "data-maxlength": counter["limit"],
            "data-count-left": counter["left"],
            "data-count-over": counter["over"],
        }
    )


class CommentForm(forms.Form):
    body = forms.CharField(
        label=gettext_lazy("Your comment"),
        widget=_body_widget(rows=6),
        help_text=MARKDOWN_HELP,
    )
    organisation = forms.ModelChoiceField(
        label=gettext_lazy("Speak for"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=gettext_lazy("Only myself"),
        help_text=gettext_lazy("The comment shows the organisation next to your name."),
    )
    next = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        organisations = organisations_user_speaks_for(user).order_by("name")
        if organisations.exists():
            self.fields["organisation"].queryset = organisations
        else:
            del self.fields["organisation"]


class CommentEditForm(forms.Form):
    body = forms.CharField(
        label=gettext_lazy("Your comment"),
        widget=_body_widget(rows=6),
        help_text=MARKDOWN_HELP,
    )
    next = forms.CharField(widget=forms.HiddenInput, required=False)


# --- Consultations --------------------------------------------------------------------------


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


# --- The register -----------------------------------------------------------------------------


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
            if value in register_services.OFFLINE_SOURCES
        ]
        self.fields["source"].widget = forms.RadioSelect(choices=self.fields["source"].choices)
        self.fields["text"].required = False  # the service says what is missing


def child_key(obj) -> str:
    """How a form names one of the objects a space holds: its model's slug and its id."""
    return f"{interface.slug_for(obj)}:{obj.pk}"


class ResponseForm(forms.Form):
    """The reasoned response to one input. `merged_into` and `taken_into` offer the other
    inputs of the register and what the space holds (a plan's commitments); the service checks
    the rules."""

    disposition = forms.ChoiceField(
        label=gettext_lazy("Disposition"),
        choices=Input.Disposition.choices,
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        required=False,
        max_length=register_services.MAX_REASON_LENGTH,
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
    taken_into = forms.ChoiceField(label=gettext_lazy("Taken into"), required=False)
    next = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(
        self, *args, merge_choices=(), children=(), nouns=interface.DEFAULT_NOUNS, **kwargs
    ):
        super().__init__(*args, **kwargs)
        # Required for every response but "pending", which the form cannot know before it is
        # sent (the service checks it): marked required, as required fields are, for everyone.
        reason = self.fields["reason"]
        reason.marked_required = True
        reason.widget.attrs["aria-required"] = "true"
        self.fields["merged_into"].choices = [("", "—"), *merge_choices]
        self.children = {child_key(obj): obj for obj in children}
        self.fields["taken_into"].choices = [
            ("", "—"),
            *((key, interface.title_of(obj)) for key, obj in self.children.items()),
        ]
        self.fields["taken_into"].help_text = (
            _("Optional, for an accepted or partially accepted input: the %(item)s it went into.")
            % nouns.as_dict()
        )

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


# --- Moderation -----------------------------------------------------------------------------


class ReportForm(forms.Form):
    reason = forms.ChoiceField(
        label=gettext_lazy("Why do you report this comment?"),
        choices=Report.Reason.choices,
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=gettext_lazy("Note for the moderators"),
        help_text=gettext_lazy("Optional. Only the moderators read it."),
        required=False,
        max_length=Report._meta.get_field("note").max_length,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class ModerationForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, help_text="", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].help_text = help_text


class DismissForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Note (optional)"),
        required=False,
        max_length=2000,
        widget=forms.TextInput(),
    )


# --- Notification settings ------------------------------------------------------------------


class NotificationSettingsForm(forms.Form):
    frequency = forms.ChoiceField(
        label=gettext_lazy("Email me"),
        choices=NotificationSetting.Frequency.choices,
        widget=forms.RadioSelect,
        help_text=gettext_lazy(
            "About responses to your inputs, replies to your comments, and new comments and "
            "consultations on what you follow."
        ),
    )
