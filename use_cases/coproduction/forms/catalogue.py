"""The catalogue's forms: its filters, the rating of an enabler, and OGP staff's curation (add,
edit in the reader's language, withdraw)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ogp_platform.text import validate_single_line

from .. import vocabulary
from ..models import Enabler, ProblemProfile, translated
from ..selectors.catalogue import problem_profile_choices, reader_language

ANY = ("", _("All"))
NONE = ("", "—")


class CatalogueFilterForm(forms.Form):
    """The catalogue's filters and search, all optional, in the query string (so every state of
    the list has its URL). An invalid value invalidates that field only: `filters()` returns
    the valid ones, and the page says which were ignored."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=200,
        help_text=_(
            "Words from the name, description, tags or problem profiles, in your language. Use "
            '"quotes" for a phrase.'
        ),
    )
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[ANY, *Enabler.Kind.choices])
    form = forms.ChoiceField(
        label=_("Form"), required=False, choices=[ANY, *vocabulary.choices(vocabulary.FORMS)]
    )
    format = forms.ChoiceField(
        label=_("Format"), required=False, choices=[ANY, *vocabulary.choices(vocabulary.FORMATS)]
    )
    difficulty = forms.ChoiceField(
        label=_("Difficulty"), required=False, choices=[ANY, *Enabler.Difficulty.choices]
    )
    licence = forms.ChoiceField(
        label=_("Licence"),
        required=False,
        choices=[ANY, *vocabulary.choices(vocabulary.LICENCES)],
    )
    scope = forms.ChoiceField(
        label=_("Administrative scope"),
        required=False,
        choices=[ANY, *vocabulary.choices(vocabulary.SCOPES)],
    )
    problem_profile = forms.ChoiceField(label=_("Problem profile"), required=False)
    written_in = forms.ChoiceField(label=_("Language"), required=False)

    FILTERS = (
        "q",
        "kind",
        "form",
        "format",
        "difficulty",
        "licence",
        "scope",
        "problem_profile",
        "written_in",
    )

    def __init__(self, *args, language=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["problem_profile"].choices = [ANY, *problem_profile_choices(language)]
        self.fields["written_in"].choices = [ANY, *vocabulary.language_choices()]

    def filters(self) -> dict:
        """The valid values, as keyword arguments of `catalogue_enablers` (none when unbound)."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value}

    @property
    def filtered(self) -> bool:
        return bool(self.filters())


STARS = [
    (1, _("1 – Poor")),
    (2, _("2 – Fair")),
    (3, _("3 – Good")),
    (4, _("4 – Very good")),
    (5, _("5 – Excellent")),
]


class RatingForm(forms.Form):
    stars = forms.TypedChoiceField(
        label=_("Your rating"),
        choices=STARS,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose a rating from 1 to 5."),
            "invalid_choice": _("Choose a rating from 1 to 5."),
        },
    )
    comment = forms.CharField(
        label=_("Comment (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What it was good for, or what to know before using it. Shown with your name."),
    )


class ProblemProfileField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.key} – {translated(obj.name_translations)}"


def _with_current(choices: list, value: str, vocabulary_: dict) -> list:
    """The choices, plus the current value when the vocabulary does not know it (a value from
    INTERLINK's records), so that saving the form again keeps it."""
    if value and value not in dict(choices):
        return [*choices, (value, vocabulary.label(vocabulary_, value))]
    return choices


class EnablerForm(forms.Form):
    """An enabler as OGP staff add or edit it. Texts are those of one language, the reader's:
    the other languages' are kept as they are."""

    name = forms.CharField(label=_("Name"), max_length=250, validators=[validate_single_line])
    kind = forms.ChoiceField(label=_("Kind"), choices=[NONE, *Enabler.Kind.choices])
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "Plain text (a blank line starts a new paragraph), or simple HTML: paragraphs, "
            "lists, line breaks, emphasis and links. Anything else is removed."
        ),
    )
    tags = forms.CharField(
        label=_("Tags"),
        required=False,
        max_length=500,
        help_text=_("Separate tags with commas."),
    )
    uri = forms.URLField(
        label=_("Web address"),
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text=_("Where people find the enabler, if it is on the web."),
    )
    form = forms.ChoiceField(label=_("Form"), required=False)
    format = forms.ChoiceField(label=_("Format"), required=False)
    difficulty = forms.ChoiceField(
        label=_("Difficulty"), required=False, choices=[NONE, *Enabler.Difficulty.choices]
    )
    licence = forms.ChoiceField(label=_("Licence"), required=False)
    administrative_scopes = forms.MultipleChoiceField(
        label=_("Administrative scopes"),
        required=False,
        choices=vocabulary.choices(vocabulary.SCOPES),
        widget=forms.CheckboxSelectMultiple,
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages it is available in"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    problem_profiles = ProblemProfileField(
        label=_("Problem profiles it helps with"),
        required=False,
        queryset=ProblemProfile.objects.order_by("key"),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, enabler: Enabler | None = None, language=None, **kwargs):
        self.language = reader_language(language)
        if enabler is not None:
            kwargs.setdefault("initial", self.initial_of(enabler, self.language))
        super().__init__(*args, **kwargs)
        current = enabler or Enabler()
        if any(text for code, text in current.name_translations.items() if code != self.language):
            self.fields["name"].required = False
            self.fields["name"].help_text = _(
                "Its name in this language. Leave it empty to show its name in another language."
            )
        self.fields["form"].choices = _with_current(
            [NONE, *vocabulary.choices(vocabulary.FORMS)], current.form, vocabulary.FORMS
        )
        self.fields["format"].choices = _with_current(
            [NONE, *vocabulary.choices(vocabulary.FORMATS)], current.format, vocabulary.FORMATS
        )
        self.fields["licence"].choices = _with_current(
            [NONE, *vocabulary.choices(vocabulary.LICENCES)],
            current.licence,
            vocabulary.LICENCES,
        )
        self.fields["languages"].choices = vocabulary.language_choices()
        self.fields["administrative_scopes"].choices = [
            *vocabulary.choices(vocabulary.SCOPES),
            *(
                (scope, vocabulary.label(vocabulary.SCOPES, scope))
                for scope in current.administrative_scopes
                if scope not in vocabulary.SCOPES
            ),
        ]

    @staticmethod
    def initial_of(enabler: Enabler, language: str) -> dict:
        """The form's values for the enabler: its texts in `language` only (not a fallback in
        another language, which saving would copy into this one)."""
        return {
            "name": enabler.name_translations.get(language, ""),
            "description": enabler.description_translations.get(language, ""),
            "tags": ", ".join(enabler.tags_translations.get(language) or ()),
            "uri": enabler.uri_translations.get(language, ""),
            "kind": enabler.kind,
            "form": enabler.form,
            "format": enabler.format,
            "difficulty": enabler.difficulty,
            "licence": enabler.licence,
            "administrative_scopes": list(enabler.administrative_scopes),
            "languages": list(enabler.languages),
            "problem_profiles": list(enabler.problem_profiles.all()),
        }

    def clean_tags(self) -> list[str]:
        return [tag.strip() for tag in self.cleaned_data["tags"].split(",") if tag.strip()]

    def service_values(self) -> dict:
        """The cleaned values, as keyword arguments of `enabler_create` / `enabler_update`."""
        return {"language": self.language, **self.cleaned_data}


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Shown on the enabler's page, for everyone to read."),
    )
