"""Forms for the rules of a process and for saving its tree as a schema. They collect and clean
what was typed; `services.governance` and `services.schemas` decide the rules (their errors are
shown on the fields they name)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import Governance
from ..selectors.governance import MODEL_EXPLANATIONS
from ..services.governance import RULE_FIELDS


def _model_choices():
    return [
        (value, f"{label}: {MODEL_EXPLANATIONS[value]}")
        for value, label in Governance.Model.choices
    ]


WEIGHT_ERRORS = {
    "min_value": _("A weight is a percentage, from 0 to 100."),
    "max_value": _("A weight is a percentage, from 0 to 100."),
    "invalid": _("Give the weight as a whole number, from 0 to 100."),
}


class GovernanceForm(forms.Form):
    """The rules of a process. `amending`: people have taken part, so a reason is required and
    the change is recorded as an amendment."""

    model = forms.ChoiceField(
        label=_("Governance model"),
        choices=_model_choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose one of the four governance models.")},
    )
    participants = forms.MultipleChoiceField(
        label=_("Who may take part"),
        choices=Governance.Participant.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Choose at least one kind of participant from the list."),
            "invalid_choice": _("Choose at least one kind of participant from the list."),
        },
    )
    decision = forms.ChoiceField(
        label=_("How decisions are taken"),
        choices=Governance.Decision.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how decisions are taken.")},
    )
    owners_weight = forms.IntegerField(
        label=_("Weight of the owners (%)"),
        required=False,
        min_value=0,
        max_value=100,
        error_messages=WEIGHT_ERRORS,
    )
    jury_weight = forms.IntegerField(
        label=_("Weight of the jury (%)"),
        required=False,
        min_value=0,
        max_value=100,
        error_messages=WEIGHT_ERRORS,
    )
    public_weight = forms.IntegerField(
        label=_("Weight of the public vote (%)"),
        required=False,
        min_value=0,
        max_value=100,
        error_messages=WEIGHT_ERRORS,
        help_text=_(
            "Only for a weighted mix: the share of each in a decision, three percentages that "
            "add up to 100. Left aside otherwise."
        ),
    )
    intellectual_property = forms.CharField(
        label=_("Intellectual property"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Who owns what the process produces, and under which licence it is shared (e.g. "
            "“Results are published under CC BY 4.0; code under the EUPL”)."
        ),
    )
    agreement = forms.CharField(
        label=_("The agreement that follows"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "What the partners sign or commit to once the process ends: who delivers and runs "
            "the result, for how long, and how it is reviewed."
        ),
    )
    reason = forms.CharField(
        label=_("Why the rules change"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "People have already taken part under the present rules: the change is recorded as "
            "an amendment, with this reason, shown with the rules on the process page."
        ),
        error_messages={"required": _("Say why the rules change: people have already taken part.")},
    )

    def __init__(self, *args, amending: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.amending = amending
        if not amending:
            del self.fields["reason"]

    @classmethod
    def initial_from(cls, governance: Governance) -> dict:
        initial = {name: getattr(governance, name) for name in RULE_FIELDS}
        if governance.decision != Governance.Decision.WEIGHTED:
            for name in ("owners_weight", "jury_weight", "public_weight"):
                initial[name] = None
        return initial

    def rules(self) -> dict:
        """The cleaned rules, for `governance_update` (weights left empty count as not given)."""
        return {name: self.cleaned_data[name] for name in RULE_FIELDS}


class SaveAsSchemaForm(forms.Form):
    """A name and a description for the schema a process's tree is saved as."""

    name = forms.CharField(
        label=_("Name of the schema"),
        max_length=200,
        help_text=_(
            "How others will find it among the schemas, e.g. “Co-designing a city service”."
        ),
        error_messages={"required": _("Give the schema a name, so that others can find it.")},
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What the schema is for, and when it works well."),
    )
