"""Drafting forms, and the explorer's filters. The drafting forms collect and clean what the
officer typed; the services decide the rules (dates inside the parent's period, a core value,
institutions of the member) and their messages are shown next to the field concerned."""

from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from action_plans.forms import DateInput
from ogp_platform.forms import ServiceModelForm
from ogp_platform.members.models import Member, Organisation, Region

from .explorer import (
    NOT_REPORTED,
    SORT_CHOICES,
    explorer_member_choices,
    explorer_year_choices,
)
from .models import Commitment, Completion, Milestone, OgpValue, PolicyArea


class PolicyAreaField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.label


class CommitmentForm(ServiceModelForm):
    values = forms.MultipleChoiceField(
        label=_("OGP values"),
        choices=OgpValue.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_(
            "At least one of access to information, civic participation or public "
            "accountability; technology and innovation only together with one of them."
        ),
    )
    policy_areas = PolicyAreaField(
        label=_("Policy areas"),
        queryset=PolicyArea.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta(ServiceModelForm.Meta):
        model = Commitment
        fields = [
            "title",
            "short_title",
            "problem",
            "status_quo",
            "description",
            "contribution",
            "values_relevance",
            "lead_institution",
            "supporting_institutions",
            "partner_organisations",
            "start_date",
            "end_date",
            "budget",
            "budget_currency",
            "status",
        ]
        widgets = {
            "problem": forms.Textarea(attrs={"rows": 4}),
            "status_quo": forms.Textarea(attrs={"rows": 4}),
            "description": forms.Textarea(attrs={"rows": 5}),
            "contribution": forms.Textarea(attrs={"rows": 4}),
            "values_relevance": forms.Textarea(attrs={"rows": 3}),
            "supporting_institutions": forms.CheckboxSelectMultiple,
            "partner_organisations": forms.CheckboxSelectMultiple,
            "start_date": DateInput(),
            "end_date": DateInput(),
            "budget_currency": forms.TextInput(
                attrs={"size": 4, "autocapitalize": "characters", "maxlength": 3}
            ),
        }

    # The order officers fill OGP's template in.
    field_order = [
        "title",
        "short_title",
        "problem",
        "status_quo",
        "description",
        "contribution",
        "values",
        "values_relevance",
        "policy_areas",
        "lead_institution",
        "supporting_institutions",
        "partner_organisations",
        "start_date",
        "end_date",
        "budget",
        "budget_currency",
        "status",
    ]

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan
        institutions = plan.member.institutions.all()
        self.fields["lead_institution"].queryset = institutions
        self.fields["supporting_institutions"].queryset = institutions
        # The member's civil-society partners, plus any organisation already linked.
        linked = self.instance.partner_organisations.all() if self.instance.pk else []
        self.fields["partner_organisations"].queryset = Organisation.objects.filter(
            pk__in=[
                *plan.member.organisations.values_list("pk", flat=True),
                *[o.pk for o in linked],
            ]
        )
        if self.instance.pk:
            self.initial.setdefault("values", [v.value for v in self.instance.values])
        for name in ("lead_institution", "supporting_institutions"):
            self.fields[name].help_text = _(
                "Institutions of %(member)s. Missing one? Add it on the member's page."
            ) % {"member": plan.member.localised_name}
        self.fields["start_date"].help_text = _(
            "Inside the plan's period: %(start)s – %(end)s."
        ) % {
            "start": date_format(plan.start_date),
            "end": date_format(plan.end_date),
        }


class MilestoneForm(ServiceModelForm):
    class Meta(ServiceModelForm.Meta):
        model = Milestone
        fields = ["title", "expected_output", "responsible_institution", "start_date", "end_date"]
        widgets = {
            "expected_output": forms.Textarea(attrs={"rows": 3}),
            "start_date": DateInput(),
            "end_date": DateInput(),
        }

    def __init__(self, *args, commitment, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible_institution"].queryset = commitment.plan.member.institutions.all()
        start = commitment.start_date or commitment.plan.start_date
        end = commitment.end_date or commitment.plan.end_date
        self.fields["start_date"].help_text = _(
            "Inside the commitment's period: %(start)s – %(end)s."
        ) % {
            "start": date_format(start),
            "end": date_format(end),
        }


class MoveForm(forms.Form):
    direction = forms.ChoiceField(choices=[("up", _("Up")), ("down", _("Down"))])


class ExplorerFilterForm(forms.Form):
    """The explorer's filters, all optional. Its choices come from the data the user may see.

    An invalid value (a member that does not exist, a year nobody planned in, a mistyped
    choice) invalidates that field only: `filters()` returns the values that are valid, so the
    explorer ignores the others and shows why."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=200,
        help_text=_('Words from the title, id or text. Use "quotes" for a phrase.'),
    )
    member = forms.ChoiceField(label=_("Member"), required=False)
    kind = forms.ChoiceField(
        label=_("Kind of member"),
        required=False,
        choices=[("", _("All")), *Member.Kind.choices],
    )
    region = forms.ChoiceField(
        label=_("Region"), required=False, choices=[("", _("All")), *Region.choices]
    )
    policy_area = forms.ChoiceField(label=_("Policy area"), required=False)
    value = forms.ChoiceField(
        label=_("OGP value"), required=False, choices=[("", _("All")), *OgpValue.choices]
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All")), *Commitment.Status.choices],
    )
    completion = forms.ChoiceField(
        label=_("Completion"),
        required=False,
        choices=[("", _("All")), *Completion.choices, (NOT_REPORTED, _("Not reported yet"))],
    )
    year = forms.TypedChoiceField(
        label=_("Plan starting in"), required=False, coerce=int, empty_value=None
    )
    sort = forms.ChoiceField(label=_("Sort by"), required=False, choices=SORT_CHOICES)

    FILTERS = ("q", "member", "kind", "region", "policy_area", "value", "status", "completion")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].choices = [("", _("All")), *explorer_member_choices(user)]
        self.fields["policy_area"].choices = [
            ("", _("All")),
            *((area.slug, area.label) for area in PolicyArea.objects.order_by("position")),
        ]
        self.fields["year"].choices = [
            ("", _("All")),
            *((str(year), str(year)) for year in explorer_year_choices(user)),
        ]

    def filters(self) -> dict:
        """The valid values, as keyword arguments of `commitment_explorer` (none when unbound)."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value}

    @property
    def filtered(self) -> bool:
        """Whether any filter (besides the sort order) narrows the results."""
        filters = self.filters()
        return any(filters.get(name) for name in (*self.FILTERS, "year"))
