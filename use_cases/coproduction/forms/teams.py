"""Forms for a process's teams and their rights on items. They collect and clean what was typed;
`services.teams` decides the rules."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ogp_platform.forms import ServiceModelForm
from ogp_platform.members.models import Organisation
from ogp_platform.text import name_key

from ..models import Team
from ..permissions import RIGHT_LABELS, RIGHTS, VIEW_RESOURCES


class TeamForm(ServiceModelForm):
    """A new team: its name, what kind of people it gathers, and its role on the process."""

    class Meta(ServiceModelForm.Meta):
        model = Team
        fields = ["name", "kind", "role"]
        widgets = {"role": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].help_text = _("E.g. “City staff”, “Residents’ panel”.")
        self.fields["role"].help_text = _(
            "Owners change everything and hold every right; team members move tasks along and "
            "get the rights the owners grant on items; observers follow the work and may be "
            "allowed to see resources."
        )
        self.fields["name"].error_messages["required"] = _("Give the team a name.")
        self.fields["kind"].error_messages["required"] = _("Choose the kind of team.")


class PersonForm(forms.Form):
    """Someone to put in a team, by the address of their account on the platform."""

    email = forms.EmailField(
        label=_("Email address of their account"),
        max_length=254,
        help_text=_("The address the person signs in with. They need an account already."),
        error_messages={"required": _("Give the person's email address.")},
    )


class OrganisationForm(forms.Form):
    """An organisation registered on the platform, by its name or its identifier."""

    organisation = forms.CharField(
        label=_("Organisation"),
        max_length=250,
        help_text=_(
            "Its name as registered on the platform, or the identifier in the address of its "
            "page (for …/organisations/delna/, it is delna)."
        ),
        error_messages={"required": _("Give the name of the organisation.")},
    )

    def clean_organisation(self) -> Organisation:
        typed = " ".join(self.cleaned_data["organisation"].split())
        found = (
            Organisation.objects.filter(slug=typed.strip("/").rsplit("/", 1)[-1]).first()
            or Organisation.objects.filter(name_key=name_key(typed)).first()
        )
        if found is None:
            raise ValidationError(
                _(
                    "No organisation called “%(name)s” is registered on the platform. Check "
                    "its name on the list of organisations."
                ),
                code="unknown",
                params={"name": typed},
            )
        return found


class RightsForm(forms.Form):
    """The rights granted to each team on one item itself: one checkbox per team and right
    (`<team id>:<codename>`). Owner teams hold every right and get none; observer teams may
    only be allowed to see."""

    granted = forms.MultipleChoiceField(
        label=_("Rights granted on this item"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, teams: list[Team], **kwargs):
        super().__init__(*args, **kwargs)
        self.teams = teams
        choices = []
        for team in teams:
            if team.role == Team.Role.OWNER:
                continue
            for permission in RIGHTS:
                if team.role == Team.Role.OBSERVER and permission != VIEW_RESOURCES:
                    continue
                label = f"{team.name}: {RIGHT_LABELS[permission]}"
                choices.append((value_of(team.pk, permission), label))
        self.fields["granted"].choices = choices
        self.fields["granted"].error_messages["invalid_choice"] = _(
            "That right cannot be granted to that team: reload the page and choose again."
        )

    def granted_pairs(self) -> set[tuple[int, str]]:
        pairs = set()
        for value in self.cleaned_data["granted"]:
            team_id, codename = value.split(":", 1)
            pairs.add((int(team_id), f"coproduction.{codename}"))
        return pairs


def value_of(team_id: int, permission: str) -> str:
    """A checkbox's value for a team's right (`12:add_resources`)."""
    return f"{team_id}:{permission.rpartition('.')[2]}"
