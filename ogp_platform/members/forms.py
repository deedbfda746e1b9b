from django import forms
from django.core.validators import FileExtensionValidator
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from ogp_platform.forms import ModelForm, ServiceModelForm
from ogp_platform.text import validate_single_line

from . import countries
from .eligibility import CRITERIA
from .models import (
    ForumMeeting,
    ForumSeat,
    Institution,
    Member,
    MemberRole,
    Organisation,
    OrganisationMembership,
    RepositoryDocument,
)
from .validators import validate_pdf


class CountryChoiceField(forms.ChoiceField):
    """ISO 3166-1 countries by their name in the interface language; the value is alpha-2."""

    def __init__(self, **kwargs):
        super().__init__(choices=self._choices, **kwargs)

    @staticmethod
    def _choices():
        return [("", "—"), *countries.choices()]


class MemberStartForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Member.Kind.choices, widget=forms.RadioSelect)
    name = forms.CharField(label=_("Name"), max_length=200, validators=[validate_single_line])
    country = CountryChoiceField(label=_("Country"))
    local_code = forms.CharField(
        label=_("Local code"),
        max_length=3,
        required=False,
        help_text=_("Local members only: three letters used in ids, e.g. MAD for Madrid."),
    )
    parent = forms.ModelChoiceField(
        label=_("National member"),
        queryset=Member.objects.filter(kind=Member.Kind.NATIONAL).order_by("name"),
        required=False,
        help_text=_("Local members only: the national member of the same country, if any."),
    )
    region = forms.ChoiceField(label=_("Region"), choices=Member._meta.get_field("region").choices)
    cohort = forms.ChoiceField(
        label=_("Cohort"),
        choices=[("", "—"), *Member.Cohort.choices],
        required=False,
        help_text=_("Whether the member submits its action plans in even or odd years."),
    )
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")

    def clean_local_code(self):
        return self.cleaned_data["local_code"].strip().upper()

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind == Member.Kind.LOCAL:
            code = data.get("local_code")
            if not code:
                self.add_error("local_code", _("A local member needs a three-letter code."))
            elif not (len(code) == 3 and code.isalpha() and code.isascii()):
                self.add_error("local_code", _("Use three letters A to Z, e.g. MAD."))
            elif Member.objects.filter(kind=Member.Kind.LOCAL, local_code=code).exists():
                self.add_error("local_code", _("Another local member already uses this code."))
            parent = data.get("parent")
            if parent and data.get("country") and parent.country != data["country"]:
                self.add_error("parent", _("The national member must be of the same country."))
        elif (
            kind == Member.Kind.NATIONAL
            and data.get("country")
            and Member.objects.filter(kind=Member.Kind.NATIONAL, country=data["country"]).exists()
        ):
            self.add_error("country", _("This country is already a member."))
        return data


class ScoreField(forms.TypedChoiceField):
    def __init__(self, **kwargs):
        super().__init__(
            choices=[("", _("No data")), *[(str(n), str(n)) for n in range(5)]],
            coerce=int,
            empty_value=None,
            required=False,
            **kwargs,
        )


class EligibilityForm(forms.Form):
    fiscal_transparency = ScoreField(label=_("Fiscal transparency"))
    access_to_information = ScoreField(label=_("Access to information"))
    asset_disclosure = ScoreField(label=_("Public officials' asset disclosure"))
    citizen_engagement = ScoreField(label=_("Citizen engagement"))

    def scores(self) -> dict[str, int | None]:
        return {criterion: self.cleaned_data[criterion] for criterion in CRITERIA}


class ValuesForm(forms.Form):
    passed = forms.TypedChoiceField(
        label=_("Result of the values check"),
        choices=[("pass", _("Pass")), ("fail", _("Fail"))],
        coerce=lambda value: value == "pass",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )

    def clean(self):
        data = super().clean()
        if data.get("passed") is False and not data.get("note", "").strip():
            self.add_error("note", _("Explain why the values check failed."))
        return data


class LetterForm(forms.Form):
    letter_date = forms.DateField(
        label=_("Date of the letter"), widget=forms.DateInput(attrs={"type": "date"})
    )
    letter_file = forms.FileField(
        label=_("Letter of intent (PDF, at most 10 MB)"),
        required=False,
        validators=[FileExtensionValidator(["pdf"]), validate_pdf],
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )

    def __init__(self, *args, has_file: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.has_file = has_file
        if has_file:
            self.fields["letter_file"].help_text = _("Leave empty to keep the letter on file.")

    def clean(self):
        data = super().clean()
        if not data.get("letter_file") and not self.has_file and "letter_file" not in self.errors:
            self.add_error("letter_file", _("Upload the letter of intent as a PDF."))
        return data


class PartnerChoiceField(forms.ModelMultipleChoiceField):
    """Organisations by name, with what tells two of the same name apart: their country, whether
    OGP verified them, and how many people speak for them."""

    def label_from_instance(self, organisation):
        count = organisation.people
        people = ngettext("%(count)d person", "%(count)d people", count) % {"count": count}
        verified = _("verified") if organisation.verified else _("not verified")
        return f"{organisation.name} ({organisation.country_name} · {verified} · {people})"


class PartnersForm(forms.Form):
    organisations = PartnerChoiceField(
        label=_("Non-governmental partner organisations"),
        # Counted in the one query that lists them, however many there are.
        queryset=Organisation.objects.annotate(
            people=Count(
                "memberships",
                filter=Q(memberships__status=OrganisationMembership.Status.APPROVED),
            )
        ).order_by("name", "country", "pk"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("At least one. Missing from the list? Register it first."),
    )


class LeadAgencyForm(forms.Form):
    lead_agency = forms.CharField(
        label=_("Lead ministry or agency"), max_length=200, validators=[validate_single_line]
    )


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("Email address"))
    role = forms.ChoiceField(
        label=_("Role"), choices=MemberRole.Role.choices, initial=MemberRole.Role.POINT_OF_CONTACT
    )


class StatusForm(forms.Form):
    status = forms.ChoiceField(
        label=_("New status"),
        choices=[c for c in Member.Status.choices if c[0] != Member.Status.ONBOARDING],
    )
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Shown on the member's public page."),
    )


class InstitutionForm(ModelForm):
    class Meta(ModelForm.Meta):
        model = Institution
        fields = ["name", "kind", "website"]


class MemberDetailsForm(ModelForm):
    class Meta(ModelForm.Meta):
        model = Member
        fields = ["name", "region", "cohort", "lead_agency", "website"]


class OrganisationForm(ModelForm):
    country = CountryChoiceField(label=_("Country"))

    class Meta(ModelForm.Meta):
        model = Organisation
        fields = ["name", "kind", "country", "website", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 5})}


class RenameDecisionForm(forms.Form):
    APPROVE, REFUSE = "approve", "refuse"

    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (APPROVE, _("Approve the new name (the organisation stays verified)")),
            (REFUSE, _("Refuse it (the organisation keeps its current name)")),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Required to refuse. The organisation's administrators see it, and the audit log "
            "keeps it."
        ),
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == self.REFUSE and not data.get("reason", "").strip():
            self.add_error("reason", _("Say why the new name is refused."))
        return data


class MembershipRequestForm(forms.Form):
    message = forms.CharField(
        label=_("Message to the organisation's administrators"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Optional: who you are and your role in the organisation."),
    )


class DirectoryFilterForm(forms.Form):
    q = forms.CharField(label=_("Search by name"), required=False, max_length=100)
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All")), *Member.Kind.choices]
    )
    region = forms.ChoiceField(
        label=_("Region"),
        required=False,
        choices=[("", _("All")), *Member._meta.get_field("region").choices],
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All"))]
        + [c for c in Member.Status.choices if c[0] != Member.Status.ONBOARDING],
    )


class _DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class ForumRulesForm(ModelForm):
    class Meta(ModelForm.Meta):
        model = Member
        fields = ["forum_rules"]
        widgets = {"forum_rules": forms.Textarea(attrs={"rows": 8})}


class ForumSeatForm(ServiceModelForm):
    class Meta(ServiceModelForm.Meta):
        model = ForumSeat
        fields = ["name", "sector", "affiliation", "position", "joined_on", "left_on"]
        widgets = {"joined_on": _DateInput(), "left_on": _DateInput()}


class ForumMeetingForm(ServiceModelForm):
    class Meta(ServiceModelForm.Meta):
        model = ForumMeeting
        fields = [
            "held_on",
            "title",
            "agenda",
            "minutes",
            "decisions",
            "attendance_government",
            "attendance_civil_society",
            "attendance_other",
        ]
        widgets = {
            "held_on": _DateInput(),
            "agenda": forms.Textarea(attrs={"rows": 4}),
            "minutes": forms.Textarea(attrs={"rows": 6}),
            "decisions": forms.Textarea(attrs={"rows": 4}),
        }


class DocumentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=250, validators=[validate_single_line])
    kind = forms.ChoiceField(label=_("Kind"), choices=RepositoryDocument.Kind.choices)
    dated = forms.DateField(label=_("Date of the document"), widget=_DateInput())
    url = forms.URLField(label=_("Link"), required=False, assume_scheme="https", max_length=500)
    file = forms.FileField(
        label=_("or a PDF file (at most 10 MB)"),
        required=False,
        validators=[FileExtensionValidator(["pdf"]), validate_pdf],
    )

    def clean(self):
        data = super().clean()
        if not self.errors and bool(data.get("url")) == bool(data.get("file")):
            raise forms.ValidationError(_("Give either a link or a PDF file, not both."))
        return data
