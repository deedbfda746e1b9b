"""Reads about the governance framework of a process: whether people have taken part (after
which its rules change only by amendment), and the rules and amendments as the panel on the
process page shows them."""

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from participation.models import Comment, Input, Vote

from ..models import Governance, GovernanceAmendment, Process, Resource, Team, TreeItem

# One line on each of INTERLINK's four governance models, for the panel and the form.
MODEL_EXPLANATIONS = {
    Governance.Model.CITIZEN_SOURCING: _(
        "Citizens and organisations bring ideas, needs and feedback; the administration designs "
        "and delivers the service."
    ),
    Governance.Model.PUBLIC_CIVIL_PARTNERSHIP: _(
        "The administration and civil society design and deliver the service together, sharing "
        "decisions and responsibilities."
    ),
    Governance.Model.GOVERNMENT_AS_A_PLATFORM: _(
        "The administration provides the data, tools and rules on which others build and run "
        "services."
    ),
    Governance.Model.CITIZEN_TO_CITIZEN: _(
        "Citizens create and run the service for one another; the administration enables and "
        "recognises it."
    ),
}

DECISION_EXPLANATIONS = {
    Governance.Decision.OWNERS: _("The owners of the process decide."),
    Governance.Decision.JURY: _("A jury named by the owners decides."),
    Governance.Decision.PUBLIC_VOTE: _("A public vote decides."),
    Governance.Decision.WEIGHTED: _(
        "The owners, a jury and a public vote each count for the share given below."
    ),
}


def participation_started(process: Process) -> bool:
    """Whether people have taken part in the process, after which its rules change only by a
    recorded amendment with a reason. Taking part is, on the process, any of its tree items or
    any of their resources:
    - a comment (or reply), by anyone, even one later deleted or hidden: it was read under the
      rules of the time;
    - a vote;
    - an input in the process's register, including those recorded from outside the platform;
    - or a person in one of its teams whose role is not "owner" (a team member or observer
      working under the rules).
    Following a process, and the owners' own work on the tree, teams and rules, are not taking
    part. At most four short queries, each stopping at the first row found."""
    process_type = ContentType.objects.get_for_model(Process)
    if Comment.objects.filter(space_type=process_type, space_id=process.pk).exists():
        return True
    if Input.objects.filter(space_type=process_type, space_id=process.pk).exists():
        return True
    types = ContentType.objects.get_for_models(TreeItem, Resource)
    votes = (
        Q(target_type=process_type, target_id=process.pk)
        | Q(
            target_type=types[TreeItem],
            target_id__in=TreeItem.objects.filter(process=process).values("pk"),
        )
        | Q(
            target_type=types[Resource],
            target_id__in=Resource.objects.filter(task__process=process).values("pk"),
        )
    )
    if Vote.objects.filter(votes).exists():
        return True
    return (
        Team.objects.filter(process=process, people__isnull=False)
        .exclude(role=Team.Role.OWNER)
        .exists()
    )


@dataclass(frozen=True)
class AmendedField:
    label: str
    before: str
    after: str


def _shown(name: str, value) -> str:
    """A field's value as the panel writes it (choices by their labels, weights as %)."""
    if name == "participants":
        labels = dict(Governance.Participant.choices)
        return ", ".join(str(labels.get(v, v)) for v in value or ()) or "—"
    if name.endswith("_weight"):
        return f"{value} %"
    try:
        field = Governance._meta.get_field(name)
    except FieldDoesNotExist:
        return str(value)
    if field.choices:
        return str(dict(field.choices).get(value, value))
    return value or "—"


def amendment_fields(amendment: GovernanceAmendment) -> list[AmendedField]:
    """What an amendment changed, field by field, readable."""
    order = [field.name for field in Governance._meta.get_fields()]
    names = sorted(amendment.changes, key=lambda n: order.index(n) if n in order else len(order))
    rows = []
    for name in names:
        change = amendment.changes[name]
        try:
            label = str(Governance._meta.get_field(name).verbose_name)
        except FieldDoesNotExist:  # a field of the rules that no longer exists
            label = name
        rows.append(
            AmendedField(
                label=label[:1].upper() + label[1:],
                before=_shown(name, change.get("before")),
                after=_shown(name, change.get("after")),
            )
        )
    return rows


def amendments_of(process: Process) -> list[GovernanceAmendment]:
    """The process's amendments, newest first, with who made them and what they changed
    (`amendment.fields`): one query, whatever their number."""
    amendments = list(
        GovernanceAmendment.objects.filter(governance__process=process).select_related("amended_by")
    )
    for amendment in amendments:
        amendment.fields = amendment_fields(amendment)
    return amendments


@dataclass(frozen=True)
class ModelOption:
    value: str
    label: str
    explanation: str
    chosen: bool


@dataclass(frozen=True)
class Weight:
    label: str
    percent: int


def explained(governance: Governance) -> Governance:
    """Set on the framework what the panel writes beside its values: INTERLINK's four models,
    each explained, the chosen one marked (`model_options`); the labels of who may take part
    (`participant_labels`); how decisions are taken, explained (`decision_explanation`), with
    the weights of a weighted mix (`weights`). No query."""
    governance.model_options = [
        ModelOption(value, str(label), str(MODEL_EXPLANATIONS[value]), value == governance.model)
        for value, label in Governance.Model.choices
    ]
    labels = dict(Governance.Participant.choices)
    governance.participant_labels = [
        str(labels[value])
        for value in Governance.Participant.values
        if value in set(governance.participants)
    ]
    governance.decision_explanation = str(DECISION_EXPLANATIONS.get(governance.decision, ""))
    governance.weights = (
        [
            Weight(_("The owners"), governance.owners_weight),
            Weight(_("The jury"), governance.jury_weight),
            Weight(_("The public vote"), governance.public_weight),
        ]
        if governance.decision == Governance.Decision.WEIGHTED
        else []
    )
    return governance


def governance_panel(process: Process) -> dict:
    """The context of `coproduction/governance/_panel.html`: the process, its rules explained
    (see `explained`; None for a process without any yet) and their amendments. Two queries."""
    governance = Governance.objects.filter(process=process).first()
    return {
        "process": process,
        "governance": explained(governance) if governance else None,
        "amendments": amendments_of(process) if governance else [],
    }
