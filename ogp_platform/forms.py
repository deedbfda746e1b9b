from typing import TYPE_CHECKING

from django import forms
from django.db import models
from django.forms.renderers import TemplatesSetting
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from .history import Version


class FormRenderer(TemplatesSetting):
    """Renders every form with the platform's accessible markup: an error summary that links to
    each field in error, labels marked when required, help and errors tied to their inputs."""

    form_template_name = "components/form.html"
    field_template_name = "components/field.html"


def _formfield(field, **kwargs):
    # Addresses typed without a scheme are https (Django 6's default, chosen now).
    if isinstance(field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return field.formfield(**kwargs)


class ModelForm(forms.ModelForm):
    """The platform's base model form: subclasses declare `class Meta(ModelForm.Meta)`."""

    class Meta:
        formfield_callback = _formfield


class ServiceModelForm(ModelForm):
    """A model form whose rules are the service's: it cleans the fields, but leaves uniqueness and
    the model's constraints to the service it feeds, whose messages name the field to fix (a
    form's own constraint check would only say "constraint violated", above the form)."""

    class Meta(ModelForm.Meta):
        pass

    def _post_clean(self):
        self.instance.validate_constraints = lambda exclude=None: None
        try:
            super()._post_clean()
        finally:
            del self.instance.validate_constraints

    def validate_unique(self):
        pass

    def service_fields(self) -> dict:
        """The cleaned values for the service: those that changed, or all of them for a new
        object."""
        names = self.changed_data if self.instance.pk else list(self.fields)
        return {name: self.cleaned_data[name] for name in names}


class CompareForm(forms.Form):
    """Two versions of the object to compare, by history id: `?from=…&to=…`."""

    def __init__(self, data, *, choices: list["Version"]):
        super().__init__(data)
        options = [(version.history_id, version.label) for version in choices]
        messages = {
            "required": _("Choose a version."),
            "invalid_choice": _(
                "That is not one of this page's versions: choose one from the list."
            ),
        }
        # "from" is a Python keyword, so the fields are added here rather than declared.
        self.fields["from"] = forms.TypedChoiceField(
            label=_("From version"), choices=options, coerce=int, error_messages=messages
        )
        self.fields["to"] = forms.TypedChoiceField(
            label=_("To version"), choices=options, coerce=int, error_messages=messages
        )
        if not self.is_bound and len(choices) >= 2:
            # Preselect the latest change: the previous version against the current one.
            self.initial = {"from": choices[1].history_id, "to": choices[0].history_id}
