"""Forms of processes and their tree. They collect and clean what people typed; the services
decide the rules (dates inside the parent's, possible prerequisites, who may own a process) and
their messages are shown next to the field concerned."""

from django import forms
from django.conf import settings
from django.utils.formats import date_format
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext_lazy as _

from action_plans.forms import DateInput
from ogp_platform.members.models import Member, Organisation

from .. import policies
from ..models import ProblemProfile, Process, Schema, Team, TreeItem, translated
from ..services.tree import allowed_prerequisites


def _languages():
    return [(code, name) for code, name in settings.LANGUAGES]


def _many(*, many: bool) -> forms.Widget:
    return forms.SelectMultiple(attrs={"size": 8}) if many else forms.CheckboxSelectMultiple()


class SchemaChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


def schema_size(schema: Schema) -> str:
    """ "4 phases, 17 objectives, 51 tasks": what a process started from it gets."""
    phases = list(schema.phases or ())
    objectives = [o for phase in phases for o in phase.get("objectives") or ()]
    tasks = [t for objective in objectives for t in objective.get("tasks") or ()]
    return ", ".join(
        (
            ngettext("%(count)s phase", "%(count)s phases", len(phases)) % {"count": len(phases)},
            ngettext("%(count)s objective", "%(count)s objectives", len(objectives))
            % {"count": len(objectives)},
            ngettext("%(count)s task", "%(count)s tasks", len(tasks)) % {"count": len(tasks)},
        )
    )


class SchemaRadioSelect(forms.RadioSelect):
    """Each schema with where it comes from, its size and the start of its description, tied
    to its radio button (`aria-describedby`)."""

    option_template_name = "coproduction/process/_schema_option.html"

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        schema = getattr(value, "instance", None)
        if schema is not None and option["attrs"].get("id"):
            option["schema"] = schema
            option["size"] = schema_size(schema)
            option["description"] = translated(schema.description_translations)
            option["attrs"]["aria-describedby"] = f"{option['attrs']['id']}_summary"
        return option


class ProcessDetailsForm(forms.Form):
    """The details of a process people change after creating it."""

    name = forms.CharField(label=_("Name"), max_length=Process._meta.get_field("name").max_length)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What the process is for, who it serves and what it should deliver."),
    )
    language = forms.ChoiceField(
        label=_("Main language"),
        choices=_languages,
        help_text=_("The language its tree is written in (a schema's names are taken in it)."),
    )
    other_languages = forms.MultipleChoiceField(
        label=_("Other languages it works in"),
        choices=_languages,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    visibility = forms.ChoiceField(
        label=_("Who may see it"),
        choices=Process.Visibility.choices,
        widget=forms.RadioSelect,
        initial=Process.Visibility.PUBLIC,
    )

    @staticmethod
    def initial_of(process: Process) -> dict:
        languages = list(process.languages or ())
        return {
            "name": process.name,
            "description": process.description,
            "language": languages[0] if languages else "",
            "other_languages": languages[1:],
            "visibility": process.visibility,
        }

    def languages(self) -> list[str]:
        main = self.cleaned_data["language"]
        return [main, *(code for code in self.cleaned_data["other_languages"] if code != main)]

    def service_fields(self) -> dict:
        fields = {
            name: self.cleaned_data[name]
            for name in self.changed_data
            if name not in ("language", "other_languages")
        }
        if {"language", "other_languages"} & set(self.changed_data):
            fields["languages"] = self.languages()
        return fields


class ProcessCreateForm(ProcessDetailsForm):
    """A new process: its details, its owners, and the schema it starts from (or none)."""

    lead_member = forms.ModelChoiceField(
        label=_("Leading member"),
        queryset=None,
        help_text=_("The member whose pages show the process, and who answers for it first."),
        error_messages={"required": _("Choose the member that leads the process.")},
    )
    other_members = forms.ModelMultipleChoiceField(
        label=_("Other owning members"), queryset=None, required=False
    )
    owner_organisations = forms.ModelMultipleChoiceField(
        label=_("Owning organisations"),
        queryset=None,
        required=False,
        help_text=_("Organisations you administer that own the process with the members."),
    )
    schema = SchemaChoiceField(
        label=_("Start from"),
        queryset=Schema.objects.all(),
        required=False,
        to_field_name="key",
        widget=SchemaRadioSelect,
        blank=True,
        empty_label=_("An empty process: I will add its phases myself"),
    )

    field_order = [
        "name",
        "description",
        "language",
        "other_languages",
        "lead_member",
        "other_members",
        "owner_organisations",
        "visibility",
        "schema",
    ]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        members = policies.members_for_new_process(user).order_by("name")
        organisations = policies.organisations_for_new_process(user).order_by("name")
        # Officers choose among their few members and organisations: checkboxes. OGP admins
        # choose among all of them: a list.
        many = policies.is_ogp_admin(user)
        # Widgets first: setting a queryset hands its choices to the field's widget.
        self.fields["other_members"].widget = _many(many=many)
        self.fields["owner_organisations"].widget = _many(many=many)
        self.fields["lead_member"].queryset = members
        self.fields["other_members"].queryset = members
        self.fields["owner_organisations"].queryset = organisations
        if many:
            self.fields["owner_organisations"].help_text = _(
                "Organisations that own the process with the members."
            )
        self.fields["language"].initial = (get_language() or "en").split("-")[0]
        self.fields["schema"].help_text = _(
            "A schema gives the process its phases, objectives and tasks, which you can then "
            "change."
        )
        if not organisations.exists():
            del self.fields["owner_organisations"]
        if len(self.fields["lead_member"].queryset) == 1:
            # One member to choose from: it leads, and there is no other to add.
            self.fields["lead_member"].initial = self.fields["lead_member"].queryset[0]
            del self.fields["other_members"]

    def service_fields(self) -> dict:
        data = self.cleaned_data
        lead = data["lead_member"]
        return {
            "name": data["name"],
            "description": data["description"],
            "languages": self.languages(),
            "owner_members": [lead, *(m for m in data.get("other_members", ()) if m != lead)],
            "owner_organisations": list(data.get("owner_organisations") or ()),
            "visibility": data["visibility"],
            "schema": data["schema"],
        }


class ProcessStatusForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=Process.Status.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "While it is being prepared, the owners build the tree and the team. Once it has "
            "finished, its tasks no longer change until it is reopened."
        ),
    )


class ProcessFilterForm(forms.Form):
    """The list's filters, all optional: an invalid value is ignored (and said)."""

    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All")), *Process.Status.choices]
    )
    member = forms.ModelChoiceField(
        label=_("Owning member"),
        queryset=None,
        required=False,
        to_field_name="slug",
        empty_label=_("All"),
    )

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members
        self.fields["member"].label_from_instance = lambda member: member.localised_name

    def filters(self) -> dict:
        self.is_valid()
        return {
            name: self.cleaned_data[name]
            for name in ("status", "member")
            if name in getattr(self, "cleaned_data", {}) and self.cleaned_data[name]
        }


class ProblemProfileField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return str(obj)


class PrerequisiteField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.get_kind_display()}: {obj.name}"


class ItemForm(forms.Form):
    """A phase, an objective or a task: what it is, when, who is responsible, what it faces
    and what it waits for."""

    name = forms.CharField(label=_("Name"), max_length=TreeItem._meta.get_field("name").max_length)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    start_date = forms.DateField(label=_("Start date"), required=False, widget=DateInput())
    end_date = forms.DateField(label=_("End date"), required=False, widget=DateInput())
    responsible_team = forms.ModelChoiceField(
        label=_("Responsible team"),
        queryset=None,
        required=False,
        empty_label=_("No team yet"),
    )
    problem_profiles = ProblemProfileField(
        label=_("Problem profiles"),
        queryset=ProblemProfile.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "The problems it faces, from INTERLINK's catalogue: a task's page suggests the "
            "enablers that address them."
        ),
    )
    prerequisites = PrerequisiteField(
        label=_("Prerequisites"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "What must finish before it can start. Items that contain it, that it contains, or "
            "that already wait for it are not offered."
        ),
    )

    def __init__(self, *args, process, item=None, parent=None, **kwargs):
        if item is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "name": item.name,
                "description": item.description,
                "start_date": item.start_date,
                "end_date": item.end_date,
                "responsible_team": item.responsible_team_id,
                "problem_profiles": [p.pk for p in item.problem_profiles.all()],
                "prerequisites": [p.pk for p in item.prerequisites.all()],
            }
        super().__init__(*args, **kwargs)
        self.item = item
        self.fields["responsible_team"].queryset = Team.objects.filter(process=process)
        allowed = allowed_prerequisites(process=process, item=item, parent=parent)
        self.fields["prerequisites"].queryset = TreeItem.objects.filter(
            pk__in=[other.pk for other in allowed]
        )
        # Tree order, as the page shows the items (the queryset's own order is by position).
        self.fields["prerequisites"].choices = [
            (other.pk, f"{other.get_kind_display()}: {other.name}") for other in allowed
        ]
        if not allowed:
            del self.fields["prerequisites"]
        container = parent if item is None else item.parent
        while container is not None and not (container.start_date or container.end_date):
            container = container.parent
        if container is not None:
            self.fields["start_date"].help_text = _(
                "Inside the dates of “%(item)s”: %(start)s – %(end)s."
            ) % {
                "item": container.name,
                "start": date_format(container.start_date) if container.start_date else "…",
                "end": date_format(container.end_date) if container.end_date else "…",
            }

    def service_fields(self) -> dict:
        names = self.changed_data if self.item is not None else list(self.fields)
        return {name: self.cleaned_data[name] for name in names}


class MoveForm(forms.Form):
    direction = forms.ChoiceField(choices=[("up", _("Up")), ("down", _("Down"))])


class TaskStatusForm(forms.Form):
    status = forms.ChoiceField(choices=TreeItem.Status.choices)


class OwnerAddForm(forms.Form):
    """A member the person is an officer of, or an organisation they administer, joining the
    owners of a process (as at its creation: a body joins by the word of its own people)."""

    member = forms.ModelChoiceField(
        label=_("A member you are an officer of"), queryset=Member.objects.none(), required=False
    )
    organisation = forms.ModelChoiceField(
        label=_("An organisation you administer"),
        queryset=Organisation.objects.none(),
        required=False,
    )

    def __init__(self, *args, user, process, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = policies.members_for_new_process(user).exclude(
            pk__in=process.owner_members.values("pk")
        )
        self.fields["organisation"].queryset = policies.organisations_for_new_process(user).exclude(
            pk__in=process.owner_organisations.values("pk")
        )

    def clean(self):
        data = super().clean()
        if not self.errors and bool(data.get("member")) == bool(data.get("organisation")):
            raise forms.ValidationError(_("Choose one member or one organisation."))
        return data
