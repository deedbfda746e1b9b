from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ogp_platform.members.models import Member

from .selectors import Filters, kind_choices

# Nothing on the platform is older or newer; the bounds keep date arithmetic in range.
FIRST_YEAR, LAST_YEAR = 2000, 2100


class _DateInput(forms.DateInput):
    input_type = "date"


class AuditFilterForm(forms.Form):
    """The log's filters, from the query string, so that every view of the log has a URL (and
    the download the same rows as the page)."""

    kind = forms.ChoiceField(label=_("Kind of change"), required=False)
    member = forms.ModelChoiceField(
        label=_("Member"),
        # What the label (the name in the reader's language) reads, so no row loads more.
        queryset=Member.objects.only("pk", "name", "kind", "country").order_by("name"),
        required=False,
        empty_label=_("All members"),
        error_messages={"invalid_choice": _("Choose a member from the list.")},
    )
    person = forms.CharField(label=_("Changed by (email contains)"), required=False, max_length=254)
    date_from = forms.DateField(
        label=pgettext_lazy("start of a date range", "From"), required=False, widget=_DateInput()
    )
    date_to = forms.DateField(
        label=pgettext_lazy("end of a date range", "To"), required=False, widget=_DateInput()
    )

    def __init__(self, data=None):
        super().__init__(data)
        self.fields["kind"].choices = [("", _("All kinds")), *kind_choices()]
        self.fields["kind"].error_messages["invalid_choice"] = _(
            "Choose a kind of change from the list."
        )
        for name in ("date_from", "date_to"):
            self.fields[name].error_messages["invalid"] = _("Enter a date as YYYY-MM-DD.")

    def _clean_date(self, name):
        day = self.cleaned_data.get(name)
        if day and not FIRST_YEAR <= day.year <= LAST_YEAR:
            raise ValidationError(
                _("Enter a date between %(first)s and %(last)s.")
                % {"first": FIRST_YEAR, "last": LAST_YEAR}
            )
        return day

    def clean_date_from(self):
        return self._clean_date("date_from")

    def clean_date_to(self):
        return self._clean_date("date_to")

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            raise ValidationError(_("The “from” date must not be after the “to” date."))
        return cleaned

    @property
    def filtered(self) -> bool:
        return self.is_bound and any(self.data.get(name) for name in self.fields)

    def filters(self) -> Filters:
        """The filters of a valid form (call `is_valid()` first)."""
        data = self.cleaned_data
        return Filters(
            kinds=(data["kind"],) if data.get("kind") else (),
            member=data.get("member"),
            person=(data.get("person") or "").strip(),
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
        )
