from django import forms
from django.db import models
from django.forms.renderers import TemplatesSetting


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
