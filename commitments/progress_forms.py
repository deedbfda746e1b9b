"""Forms for progress reports with evidence and for the IRM's assessment. They collect and clean
what was typed; `services.progress_report_create` and `services.assessment_save` decide the
rules."""

from django import forms
from django.core.validators import FileExtensionValidator
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from ogp_platform.forms import ServiceModelForm
from ogp_platform.text import validate_single_line

from .models import Assessment, Commitment, Completion, Evidence, ProgressReport
from .services import ASSESSMENT_FIELDS
from .validators import EVIDENCE_EXTENSIONS, MAX_EVIDENCE_SIZE, validate_evidence_file

# Rows of evidence offered at once. Without JavaScript there is no way to add a row, so offer
# enough for a typical report; more evidence goes into the next report.
EVIDENCE_ROWS = 3


def _label(model, name):
    return capfirst(model._meta.get_field(name).verbose_name)


class MilestoneChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.title


class ProgressReportForm(forms.Form):
    """What a report says: on what, how far it got, and what happened."""

    milestone = MilestoneChoiceField(
        label=_("Reporting on"),
        queryset=None,
        required=False,
        empty_label=_("The whole commitment"),
    )
    level = forms.ChoiceField(
        label=_label(ProgressReport, "level"),
        choices=Completion.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a completion level.")},
    )
    narrative = forms.CharField(
        label=_label(ProgressReport, "narrative"),
        help_text=ProgressReport._meta.get_field("narrative").help_text,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("Say what happened.")},
    )

    def __init__(self, *args, commitment: Commitment, **kwargs):
        super().__init__(*args, **kwargs)
        self.commitment = commitment
        milestones = commitment.milestones.order_by("position", "pk")
        self.fields["milestone"].queryset = milestones
        self.fields["level"].help_text = _(
            "The level becomes the current completion of the milestone, or of the commitment "
            "when you report on the whole commitment."
        )


class EvidenceForm(forms.Form):
    """One piece of evidence: a title and either a link or a file. A row left empty is ignored."""

    title = forms.CharField(
        label=_label(Evidence, "title"),
        max_length=200,
        required=False,
        validators=[validate_single_line],
    )
    url = forms.URLField(
        label=_label(Evidence, "url"),
        max_length=500,
        required=False,
        assume_scheme="https",
        help_text=_("An address on the web, e.g. a published report or data set."),
    )
    file = forms.FileField(
        label=_label(Evidence, "file"),
        required=False,
        validators=[FileExtensionValidator(EVIDENCE_EXTENSIONS), validate_evidence_file],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "PDF, image (PNG, JPEG, GIF, WebP), office document (Word, Excel, PowerPoint, "
            "OpenDocument), CSV or plain text; at most %(size)s MB."
        ) % {"size": MAX_EVIDENCE_SIZE // (1024 * 1024)}
        self.fields["file"].widget.attrs["accept"] = ",".join(
            f".{extension}" for extension in EVIDENCE_EXTENSIONS
        )

    def clean(self):
        cleaned = super().clean()
        title = cleaned.get("title", "").strip()
        url = cleaned.get("url", "")
        upload = cleaned.get("file")
        # A field that failed its own checks is missing from cleaned_data but was filled in.
        has_url = bool(url) or "url" in self.errors
        has_file = bool(upload) or "file" in self.errors
        if title and not (has_url or has_file):
            raise forms.ValidationError(
                _("Give a link or choose a file for this evidence."), code="no_source"
            )
        if has_url and has_file:
            raise forms.ValidationError(
                _("Give either a link or a file, not both: use another row for the second."),
                code="both_sources",
            )
        if not title and (has_url or has_file):
            self.add_error("title", _("Give the evidence a title."))
        cleaned["title"] = title
        return cleaned

    @property
    def chosen_file_name(self) -> str:
        """The name of the file chosen in this row, when the page comes back with errors:
        browsers do not keep the choice, so the officer has to choose it again."""
        upload = self.files.get(self.add_prefix("file")) if self.is_bound else None
        return upload.name if upload else ""

    def evidence(self) -> dict | None:
        """The row for the service, or None when it was left empty."""
        if not self.has_changed():
            return None
        return {
            "title": self.cleaned_data["title"],
            "url": self.cleaned_data.get("url") or "",
            "file": self.cleaned_data.get("file"),
        }


class BaseEvidenceFormSet(forms.BaseFormSet):
    def evidence(self) -> list[dict]:
        return [item for item in (form.evidence() for form in self.forms) if item]

    def errors_by_row(self):
        """(row number, form) for each row with an error, for the page's error summary."""
        return [(index, form) for index, form in enumerate(self.forms, start=1) if form.errors]


EvidenceFormSet = forms.formset_factory(
    EvidenceForm,
    formset=BaseEvidenceFormSet,
    extra=EVIDENCE_ROWS,
    max_num=EVIDENCE_ROWS,
    validate_max=True,
)


class AssessmentForm(ServiceModelForm):
    """The IRM's judgements. Each may stay Unknown, stored as empty (or null), never as a
    default. Plans from 2020 on are judged on potential for results instead of potential
    impact, so the form shows one of the two."""

    class Meta(ServiceModelForm.Meta):
        model = Assessment
        fields = list(ASSESSMENT_FIELDS)
        widgets = {"early_results": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, commitment: Commitment, **kwargs):
        super().__init__(*args, **kwargs)
        self.commitment = commitment
        if commitment.plan.start_date.year >= Assessment.RESULTS_METHOD_FROM_YEAR:
            del self.fields["potential_impact"]
        else:
            del self.fields["potential_for_results"]
        for field in self.fields.values():
            if isinstance(field, forms.TypedChoiceField):
                # "Unknown" instead of "---------": an empty answer is a real state.
                field.choices = [("", _("Unknown")), *field.choices[1:]]
        self.fields["early_results"].help_text = _("Leave empty while they are unknown.")
