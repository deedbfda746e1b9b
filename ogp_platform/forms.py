from django.forms.renderers import TemplatesSetting


class FormRenderer(TemplatesSetting):
    """Renders every form with the platform's accessible markup: an error summary that links to
    each field in error, labels marked when required, help and errors tied to their inputs."""

    form_template_name = "components/form.html"
    field_template_name = "components/field.html"
