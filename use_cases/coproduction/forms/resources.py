"""Forms for resources on a task: a link, a file, or an enabler of the catalogue. They collect
and clean what was typed; `services.resources` decides the rules (and checks the file again)."""

from django import forms
from django.core.validators import FileExtensionValidator
from django.utils.translation import gettext_lazy as _

from commitments.validators import MAX_EVIDENCE_SIZE, validate_evidence_file
from ogp_platform.text import validate_single_line

from ..models import Enabler, Resource
from ..services.resources import RESOURCE_EXTENSIONS


def _title(required: bool, help_text=""):
    return forms.CharField(
        label=_("Title"),
        max_length=Resource._meta.get_field("title").max_length,
        required=required,
        validators=[validate_single_line],
        help_text=help_text,
        error_messages={"required": _("Give the resource a title.")},
    )


def _description():
    return forms.CharField(
        label=_("Description"),
        required=False,
        max_length=Resource._meta.get_field("description").max_length,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What it is and how it helps with the task (optional)."),
    )


class LinkResourceForm(forms.Form):
    title = _title(True)
    url = forms.URLField(
        label=_("Address"),
        max_length=500,
        assume_scheme="https",
        help_text=_("A page on the web, e.g. a shared document or a data set."),
        error_messages={"required": _("Give the address of the link.")},
    )
    description = _description()


class FileResourceForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        validators=[FileExtensionValidator(RESOURCE_EXTENSIONS), validate_evidence_file],
        error_messages={"required": _("Choose a file.")},
    )
    title = _title(False, _("Leave empty to use the file's name."))
    description = _description()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "PDF, image (PNG, JPEG, GIF, WebP), office document (Word, Excel, PowerPoint, "
            "OpenDocument), CSV or plain text; at most %(size)s MB."
        ) % {"size": MAX_EVIDENCE_SIZE // (1024 * 1024)}
        self.fields["file"].widget.attrs["accept"] = ",".join(
            f".{extension}" for extension in RESOURCE_EXTENSIONS
        )

    @property
    def chosen_file_name(self) -> str:
        """The file chosen, when the page comes back with errors: browsers forget the choice."""
        upload = self.files.get(self.add_prefix("file")) if self.is_bound else None
        return upload.name if upload else ""


class EnablerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class EnablerResourceForm(forms.Form):
    """An enabler of the catalogue: one of those `offered` (the task's suggestions, those found
    by searching the catalogue by name or identifier). Any published enabler is accepted, by
    its identifier."""

    enabler = EnablerChoiceField(
        label=_("Enabler"),
        queryset=Enabler.objects.filter(status=Enabler.Status.PUBLISHED),
        to_field_name="key",
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose an enabler."),
            "invalid_choice": _(
                "That enabler is not (or no longer) published in the catalogue: choose another."
            ),
        },
    )
    title = _title(False, _("Leave empty to use the enabler's name."))
    description = _description()

    def __init__(self, *args, offered=(), **kwargs):
        super().__init__(*args, **kwargs)
        # Only what is offered is listed (the catalogue is long); the queryset still accepts
        # any published enabler.
        self.fields["enabler"].widget.choices = [
            (enabler.key, f"{enabler.name} ({enabler.key})") for enabler in offered
        ]
