from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ogp_platform.forms import ModelForm, ServiceModelForm

from .models import ActionPlan
from .services import validate_period


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class PlanForm(ServiceModelForm):
    """The plan's title, introduction and period. The period rule is checked here too, so its
    message shows next to the end date before anything is saved."""

    class Meta(ServiceModelForm.Meta):
        model = ActionPlan
        fields = ["title", "language", "start_date", "end_date", "introduction"]
        widgets = {
            "start_date": DateInput(),
            "end_date": DateInput(),
            "introduction": forms.Textarea(attrs={"rows": 6}),
        }
        help_texts = {
            "end_date": _(
                "Two years (20 to 24 months) or four years (44 to 48 months) after the start date."
            ),
        }

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end:
            try:
                validate_period(start, end)
            except ValidationError as error:
                for field, errors in error.message_dict.items():
                    self.add_error(field, errors)
        return data


class DeadlineForm(ModelForm):
    class Meta(ModelForm.Meta):
        model = ActionPlan
        fields = ["submission_deadline"]
        widgets = {"submission_deadline": DateInput()}
        help_texts = {
            "submission_deadline": _(
                "By default 31 August of the year the plan starts. A plan submitted later is "
                "marked late."
            )
        }


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        help_text=_("It is kept on the plan's timeline, for everyone to read."),
    )
