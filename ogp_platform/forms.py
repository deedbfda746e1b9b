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
