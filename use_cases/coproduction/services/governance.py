"""Writes to the governance framework of a process: its default rules, set when the process is
created, and the owners' changes to them.

Before anyone has taken part in the process (see `selectors.governance.participation_started`)
the owners change the rules freely: each change is a version in the framework's history. Once
people have taken part, they read the rules as they were, so a change needs a reason and is
recorded as a `GovernanceAmendment` (what each field was before and is after), shown with the
rules on the process page and in the audit log.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ogp_platform.services import require

from .. import policies
from ..models import Governance, GovernanceAmendment, Process
from ..selectors.governance import participation_started

# The fields owners change, in the order the panel and an amendment list them.
RULE_FIELDS = (
    "model",
    "participants",
    "decision",
    "owners_weight",
    "jury_weight",
    "public_weight",
    "intellectual_property",
    "agreement",
)
WEIGHT_FIELDS = ("owners_weight", "jury_weight", "public_weight")


def governance_default(*, process: Process) -> Governance:
    """The rules a new process starts with, until its owners change them: a public–civil
    partnership open to everyone (every kind of participant), decisions taken by the owners,
    and nothing said yet on intellectual property or the agreement. Called by the service that
    creates the process (its history row names the process's creator); a process that already
    has its rules keeps them."""
    existing = Governance.objects.filter(process=process).first()
    if existing is not None:
        return existing
    governance = Governance(
        process=process,
        model=Governance.Model.PUBLIC_CIVIL_PARTNERSHIP,
        participants=list(Governance.Participant.values),
        decision=Governance.Decision.OWNERS,
    )
    governance._history_user = process.created_by
    governance.save()
    return governance


def validate_rules(values: dict) -> dict:
    """The rules in `values` checked and normalised (participants in the choices' order,
    weights zero unless decisions are a weighted mix, texts stripped); ValidationError naming
    each field to fix."""
    errors = {}
    if values["model"] not in Governance.Model.values:
        errors["model"] = _("Choose one of the four governance models.")
    participants = [p for p in Governance.Participant.values if p in set(values["participants"])]
    unknown = set(values["participants"]) - set(Governance.Participant.values)
    if unknown or not participants:
        errors["participants"] = _("Choose at least one kind of participant from the list.")
    if values["decision"] not in Governance.Decision.values:
        errors["decision"] = _("Choose how decisions are taken.")
    weights = {name: values.get(name) for name in WEIGHT_FIELDS}
    if values["decision"] == Governance.Decision.WEIGHTED:
        for name, weight in weights.items():
            if weight is None or weight == "":
                errors[name] = _("Give this weight, from 0 to 100 (0 if it has no say).")
            elif not 0 <= weight <= 100:
                errors[name] = _("A weight is a percentage, from 0 to 100.")
        if not errors.keys() & set(WEIGHT_FIELDS):
            total = sum(weights.values())
            if total != 100:
                errors["public_weight"] = _(
                    "The three weights add up to %(total)s%%: they must add up to 100%%."
                ) % {"total": total}
    else:
        # Weights mean something only in a weighted mix: kept at zero otherwise.
        weights = dict.fromkeys(WEIGHT_FIELDS, 0)
    if errors:
        raise ValidationError(errors)
    return {
        "model": values["model"],
        "participants": participants,
        "decision": values["decision"],
        **weights,
        "intellectual_property": (values.get("intellectual_property") or "").strip(),
        "agreement": (values.get("agreement") or "").strip(),
    }


@transaction.atomic
def governance_update(*, actor, process: Process, reason: str = "", **values) -> Governance:
    """Change the rules of the process (every field of `RULE_FIELDS` in `values`). Owners
    only. Once people have taken part, `reason` is required and the change is recorded as an
    amendment; before, it is a version in the history (with the reason, if one is given).
    Nothing is written when nothing changes. The framework returned holds in `changes` what
    changed ({field: {"before", "after"}})."""
    require(policies.can_manage_process(actor, process))
    governance = Governance.objects.select_for_update().get(process=process)
    rules = validate_rules(values)
    changes = {
        name: {"before": getattr(governance, name), "after": value}
        for name, value in rules.items()
        if getattr(governance, name) != value
    }
    # What changed, for the caller to say so (empty: nothing was written).
    governance.changes = changes
    if not changes:
        return governance
    reason = (reason or "").strip()
    amending = participation_started(process)
    if amending and not reason:
        raise ValidationError(
            {
                "reason": _(
                    "People have already taken part in this process: say why the rules change. "
                    "The reason is shown with the amendment."
                )
            }
        )
    for name, value in rules.items():
        setattr(governance, name, value)
    governance.updated_at = timezone.now()
    governance._history_user = actor
    if reason:
        governance._change_reason = reason[:100]
    governance.save()
    if amending:
        GovernanceAmendment.objects.create(
            governance=governance, changes=changes, reason=reason, amended_by=actor
        )
    return governance
