"""Writes to a joint plan itself: creating it (with the co-production process it runs as), its
bodies and their roles, the people who act for each body, its goals and objectives, and the
commitments each objective links to.

The process's teams hold the participating bodies: one team per body, named after it, whose
role follows the body's (owners for the lead and co-owners, team members for contributors,
observers for observers), with the people who act for the body in it. A person acts for a body
through the object permission `joint_planning.act_for_body` on it (`ogp_platform.roles`, with
an audit row for each grant and revocation).

Each function runs in one transaction, checks the policy (PermissionDenied) and the rules
(ValidationError keyed by the field to fix), and saves history rows attributed to the actor.
"""

import datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from commitments.models import Commitment
from commitments.policies import commitments_visible_to
from ogp_platform import roles
from ogp_platform.members.models import Institution
from ogp_platform.members.policies import can_draft_plans
from ogp_platform.services import require
from ogp_platform.text import unique_slug, validate_single_line
from use_cases.coproduction import policies as coproduction_policies
from use_cases.coproduction.models import Team
from use_cases.coproduction.services import teams
from use_cases.coproduction.services.processes import process_create

from .. import policies
from ..models import TITLE_LENGTH, Action, Goal, JointPlan, Objective, PlanBody

TEAM_NAME_LENGTH = Team._meta.get_field("name").max_length
PROCESS_VISIBILITY = {
    JointPlan.Visibility.INTERNAL: "team",
    JointPlan.Visibility.PUBLIC: "public",
}
TEAM_ROLE = {
    PlanBody.Role.LEAD: Team.Role.OWNER,
    PlanBody.Role.CO_OWNER: Team.Role.OWNER,
    PlanBody.Role.CONTRIBUTOR: Team.Role.MEMBER,
    PlanBody.Role.OBSERVER: Team.Role.OBSERVER,
}


def _lock(plan: JointPlan) -> JointPlan:
    """Lock the plan's row: changes to its bodies take turns."""
    return JointPlan.objects.select_for_update().get(pk=plan.pk)


def _clean_title(values: dict, errors: dict, field: str, missing: str) -> None:
    """Strip `values[field]`, and say in `errors` what is wrong with it as a one-line title."""
    title = (values.get(field) or "").strip()
    values[field] = title
    if not title:
        errors[field] = [missing]
    elif len(title) > TITLE_LENGTH:
        errors[field] = [_("Keep it under %(limit)s characters.") % {"limit": TITLE_LENGTH}]
    else:
        try:
            validate_single_line(title)
        except ValidationError as error:
            errors[field] = list(error.messages)


# --- The plan ----------------------------------------------------------------------------------


@transaction.atomic
def plan_create(
    *,
    actor,
    name: str,
    description: str,
    lead: Institution,
    starts_on: datetime.date,
    ends_on: datetime.date,
    visibility: str = JointPlan.Visibility.PUBLIC,
    languages: list[str] = ("en",),
) -> JointPlan:
    """Start a joint plan led by `lead` (an institution of any member), with the co-production
    process it runs as (owned by the lead's member), its lead body and that body's team, and
    the actor acting for the lead body. Officers of the lead's member and OGP admins do it."""
    require(coproduction_policies.can_create_process(actor, lead.member))
    values = {"name": name}
    errors: dict[str, list] = {}
    _clean_title(values, errors, "name", _("Give the plan a name."))
    if starts_on is None:
        errors["starts_on"] = [_("Give the date the plan starts.")]
    if ends_on is None:
        errors["ends_on"] = [_("Give the date the plan ends.")]
    elif starts_on is not None and ends_on <= starts_on:
        errors["ends_on"] = [_("The plan must end after it starts.")]
    if visibility not in JointPlan.Visibility.values:
        errors["visibility"] = [_("Choose who may see the plan.")]
    if errors:
        raise ValidationError(errors)
    process = process_create(
        actor=actor,
        name=values["name"],
        description=description or "",
        languages=list(languages),
        owner_members=[lead.member],
        visibility=PROCESS_VISIBILITY[visibility],
    )
    plan = JointPlan(
        name=values["name"],
        slug=unique_slug(JointPlan, values["name"], fallback="plan"),
        description=(description or "").strip(),
        starts_on=starts_on,
        ends_on=ends_on,
        visibility=visibility,
        process=process,
        created_by=actor,
    )
    plan._history_user = actor
    plan.save()
    body = _body_create(actor=actor, plan=plan, institution=lead, role=PlanBody.Role.LEAD)
    # The lead body's team takes over from the process's first team, "Owners".
    owners = Team.objects.filter(process=process).exclude(name=_team_name(body)).first()
    _grant(actor=actor, body=body, user=actor)
    if owners is not None:
        teams.team_remove(actor=actor, team=owners)
    return plan


# --- Bodies ------------------------------------------------------------------------------------


def _team_name(body: PlanBody) -> str:
    institution = body.institution
    return f"{institution.name} ({institution.member.name})"[:TEAM_NAME_LENGTH]


def _team_of(actor, body: PlanBody) -> Team:
    """The body's team in the plan's process (made when missing)."""
    team = Team.objects.filter(process_id=body.plan.process_id, name=_team_name(body)).first()
    if team is None:
        team = teams.team_create(
            actor=actor,
            process=body.plan.process,
            name=_team_name(body),
            kind=Team.Kind.PUBLIC_ADMINISTRATION,
            role=TEAM_ROLE[body.role],
        )
    return team


def _body_create(*, actor, plan: JointPlan, institution: Institution, role: str) -> PlanBody:
    body = PlanBody(
        plan=plan, institution=institution, role=role, level=PlanBody.level_of(institution)
    )
    body._history_user = actor
    body.save()
    _team_of(actor, body)
    return body


@transaction.atomic
def body_add(*, actor, plan: JointPlan, institution: Institution, role: str) -> PlanBody:
    """Bring an institution of any member into the plan with a role (co-owner, contributor or
    observer: a plan has one lead, the one it was created with). Those who run the plan do
    it."""
    plan = _lock(plan)
    require(policies.runs_plan(actor, plan))
    if role == PlanBody.Role.LEAD:
        raise ValidationError(
            {"role": _("A plan has one lead, the body it was created with: choose another role.")}
        )
    if role not in PlanBody.Role.values:
        raise ValidationError({"role": _("Choose the body's role in the plan.")})
    if PlanBody.objects.filter(plan=plan, institution=institution).exists():
        raise ValidationError(
            {
                "institution": _("%(body)s already takes part in this plan.")
                % {"body": institution.name}
            }
        )
    return _body_create(actor=actor, plan=plan, institution=institution, role=role)


@transaction.atomic
def body_set_role(*, actor, body: PlanBody, role: str) -> PlanBody:
    """Change a body's role (co-owner, contributor, observer); the lead stays the lead. Its
    team in the process changes role with it, with the same people."""
    plan = _lock(body.plan)
    body = PlanBody.objects.select_related("institution__member").get(pk=body.pk)
    require(policies.runs_plan(actor, plan))
    if body.role == PlanBody.Role.LEAD:
        raise ValidationError({"role": _("The lead of a plan stays its lead.")})
    if role == PlanBody.Role.LEAD:
        raise ValidationError(
            {"role": _("A plan has one lead, the body it was created with: choose another role.")}
        )
    if role not in PlanBody.Role.values:
        raise ValidationError({"role": _("Choose the body's role in the plan.")})
    if body.role == role:
        return body
    old = _team_of(actor, body)
    people = list(old.people.all())
    body.role = role
    body._history_user = actor
    body.save(update_fields=["role"])
    # A team's role is fixed: the body gets a new team, with the same people.
    teams.team_remove(actor=actor, team=old)
    team = _team_of(actor, body)
    for person in people:
        teams.team_add_person(actor=actor, team=team, user=person)
    return body


@transaction.atomic
def body_remove(*, actor, body: PlanBody) -> None:
    """Take a body out of the plan (not the lead), with its people's right to act for it and
    its team. A body that owns goals or objectives, or has proposed or leads actions, stays:
    those must change first."""
    plan = _lock(body.plan)
    body = PlanBody.objects.select_related("institution__member").get(pk=body.pk)
    require(policies.runs_plan(actor, plan))
    if body.role == PlanBody.Role.LEAD:
        raise ValidationError(_("The lead of a plan cannot leave it."))
    in_use = (
        Goal.objects.filter(owner=body).exists()
        or Objective.objects.filter(owner=body).exists()
        or Action.objects.filter(Q(proposed_by=body) | Q(lead=body)).exists()
    )
    if in_use:
        raise ValidationError(
            _(
                "%(body)s owns goals or objectives, or proposed or leads actions: give them to "
                "another body first."
            )
            % {"body": body.institution.name}
        )
    for person in get_user_model().objects.filter(
        pk__in=roles.holder_ids(policies.ACT_FOR_BODY, body)
    ):
        roles.object_permission_revoke(
            actor=actor, user=person, permission=policies.ACT_FOR_BODY, obj=body
        )
    teams.team_remove(actor=actor, team=_team_of(actor, body))
    for action in Action.objects.filter(contributors=body):
        action._history_user = actor
        action.contributors.remove(body)
    body._history_user = actor
    body.delete()


# --- The people who act for a body -------------------------------------------------------------


def _may_manage_people(actor, body: PlanBody) -> bool:
    """Those who run the plan, and the officers of the body's member for their own body."""
    return policies.runs_plan(actor, body.plan) or can_draft_plans(actor, body.institution.member)


def _grant(*, actor, body: PlanBody, user) -> bool:
    new = roles.object_permission_grant(
        actor=actor, user=user, permission=policies.ACT_FOR_BODY, obj=body
    )
    process = body.plan.process
    if coproduction_policies.can_manage_teams(actor, process):
        teams.team_add_person(actor=actor, team=_team_of(actor, body), user=user)
    return new


@transaction.atomic
def body_person_add(*, actor, body: PlanBody, user) -> bool:
    """Let `user` act for the body in the plan, and put them in the body's team. Those who run
    the plan do it, and the officers of the body's member for their own body. Returns whether
    the person did not act for it already.

    The process's teams are changed by its owners only (coproduction's rule): when an officer
    of a contributing body's member, who does not run the plan, adds a colleague, the colleague
    acts for the body at once and joins its team when someone who runs the plan next changes
    the body's people (`body_team_sync`)."""
    _lock(body.plan)
    body = PlanBody.objects.select_related("plan__process", "institution__member").get(pk=body.pk)
    require(_may_manage_people(actor, body))
    if not user.is_active:
        raise ValidationError({"user": _("This account is closed.")})
    new = _grant(actor=actor, body=body, user=user)
    body_team_sync(actor=actor, body=body)
    return new


@transaction.atomic
def body_person_remove(*, actor, body: PlanBody, user) -> bool:
    """Stop `user` acting for the body, and take them out of its team (the last person of the
    lead body's team stays: the process needs an owner). Returns whether they acted for it."""
    _lock(body.plan)
    body = PlanBody.objects.select_related("plan__process", "institution__member").get(pk=body.pk)
    require(_may_manage_people(actor, body))
    if body.role == PlanBody.Role.LEAD and roles.holder_ids(policies.ACT_FOR_BODY, body) <= {
        user.pk
    }:
        raise ValidationError(
            {
                "user": _(
                    "%(person)s is the last person acting for the lead body: add another "
                    "person first."
                )
                % {"person": user.get_full_name() or user.email}
            }
        )
    held = roles.object_permission_revoke(
        actor=actor, user=user, permission=policies.ACT_FOR_BODY, obj=body
    )
    process = body.plan.process
    if coproduction_policies.can_manage_teams(actor, process):
        teams.team_remove_person(actor=actor, team=_team_of(actor, body), user=user)
    return held


@transaction.atomic
def body_team_sync(*, actor, body: PlanBody) -> None:
    """Make the body's team hold exactly the people who act for it, when the actor may change
    the process's teams (otherwise nothing changes)."""
    process = body.plan.process
    if not coproduction_policies.can_manage_teams(actor, process):
        return
    team = _team_of(actor, body)
    holders = roles.holder_ids(policies.ACT_FOR_BODY, body)
    in_team = set(team.people.values_list("pk", flat=True))
    User = get_user_model()
    for person in User.objects.filter(pk__in=holders - in_team, is_active=True):
        teams.team_add_person(actor=actor, team=team, user=person)
    for person in User.objects.filter(pk__in=in_team - holders):
        teams.team_remove_person(actor=actor, team=team, user=person)


# --- Goals and objectives ----------------------------------------------------------------------


def _check_owner(plan: JointPlan, owner: PlanBody, errors: dict) -> None:
    if owner is None or owner.plan_id != plan.pk:
        errors["owner"] = [_("Choose a body of this plan.")]


@transaction.atomic
def goal_create(
    *, actor, plan: JointPlan, title: str, owner: PlanBody, description: str = ""
) -> Goal:
    """A strategic goal of the plan, owned by one of its bodies, after the others."""
    require(policies.runs_plan(actor, plan))
    values = {"title": title}
    errors: dict[str, list] = {}
    _clean_title(values, errors, "title", _("Give the goal a title."))
    _check_owner(plan, owner, errors)
    if errors:
        raise ValidationError(errors)
    last = Goal.objects.filter(plan=plan).order_by("-position").first()
    goal = Goal(
        plan=plan,
        title=values["title"],
        description=(description or "").strip(),
        owner=owner,
        position=last.position + 1 if last else 0,
    )
    goal._history_user = actor
    goal.save()
    return goal


@transaction.atomic
def goal_update(*, actor, goal: Goal, **fields) -> Goal:
    """Change the goal's title, description, owner body or position (only those given)."""
    goal = Goal.objects.select_for_update(of=("self",)).select_related("plan").get(pk=goal.pk)
    require(policies.runs_plan(actor, goal.plan))
    unknown = set(fields) - {"title", "description", "owner", "position"}
    if unknown:
        raise TypeError(f"A goal has no editable field {sorted(unknown)!r}")
    errors: dict[str, list] = {}
    if "title" in fields:
        _clean_title(fields, errors, "title", _("Give the goal a title."))
    if "owner" in fields:
        _check_owner(goal.plan, fields["owner"], errors)
    if errors:
        raise ValidationError(errors)
    if "description" in fields:
        fields["description"] = (fields["description"] or "").strip()
    for name, value in fields.items():
        setattr(goal, name, value)
    goal._history_user = actor
    goal.save()
    return goal


@transaction.atomic
def goal_delete(*, actor, goal: Goal) -> None:
    """Delete a goal that has no objective left."""
    goal = Goal.objects.select_for_update(of=("self",)).select_related("plan").get(pk=goal.pk)
    require(policies.runs_plan(actor, goal.plan))
    if Objective.objects.filter(goal=goal).exists():
        raise ValidationError(_("This goal has objectives: delete or move them first."))
    goal._history_user = actor
    goal.delete()


@transaction.atomic
def objective_create(
    *, actor, goal: Goal, title: str, owner: PlanBody, description: str = ""
) -> Objective:
    """An objective under the goal, owned by one of the plan's bodies, after the others."""
    plan = goal.plan
    require(policies.runs_plan(actor, plan))
    values = {"title": title}
    errors: dict[str, list] = {}
    _clean_title(values, errors, "title", _("Give the objective a title."))
    _check_owner(plan, owner, errors)
    if errors:
        raise ValidationError(errors)
    last = Objective.objects.filter(goal=goal).order_by("-position").first()
    objective = Objective(
        plan=plan,
        goal=goal,
        title=values["title"],
        description=(description or "").strip(),
        owner=owner,
        position=last.position + 1 if last else 0,
    )
    objective._history_user = actor
    objective.save()
    return objective


@transaction.atomic
def objective_update(*, actor, objective: Objective, **fields) -> Objective:
    """Change the objective's title, description, owner body, goal (of the same plan) or
    position (only those given)."""
    objective = (
        Objective.objects.select_for_update(of=("self",))
        .select_related("plan")
        .get(pk=objective.pk)
    )
    require(policies.runs_plan(actor, objective.plan))
    unknown = set(fields) - {"title", "description", "owner", "goal", "position"}
    if unknown:
        raise TypeError(f"An objective has no editable field {sorted(unknown)!r}")
    errors: dict[str, list] = {}
    if "title" in fields:
        _clean_title(fields, errors, "title", _("Give the objective a title."))
    if "owner" in fields:
        _check_owner(objective.plan, fields["owner"], errors)
    if "goal" in fields and (fields["goal"] is None or fields["goal"].plan_id != objective.plan_id):
        errors["goal"] = [_("Choose a goal of this plan.")]
    if errors:
        raise ValidationError(errors)
    if "description" in fields:
        fields["description"] = (fields["description"] or "").strip()
    for name, value in fields.items():
        setattr(objective, name, value)
    objective._history_user = actor
    objective.save()
    return objective


@transaction.atomic
def objective_delete(*, actor, objective: Objective) -> None:
    """Delete an objective under which no action has been proposed."""
    objective = (
        Objective.objects.select_for_update(of=("self",))
        .select_related("plan")
        .get(pk=objective.pk)
    )
    require(policies.runs_plan(actor, objective.plan))
    if Action.objects.filter(objective=objective).exists():
        raise ValidationError(
            _("Actions have been proposed under this objective: it cannot be deleted.")
        )
    objective._history_user = actor
    objective.delete()


@transaction.atomic
def objective_link_commitment(*, actor, objective: Objective, commitment: Commitment) -> bool:
    """Link the objective to a commitment that carries it out, from any member's action plan
    the actor may read. Returns whether the link is new (the objective's history records it)."""
    objective = (
        Objective.objects.select_for_update(of=("self",))
        .select_related("plan")
        .get(pk=objective.pk)
    )
    require(policies.runs_plan(actor, objective.plan))
    if not commitments_visible_to(actor).filter(pk=commitment.pk).exists():
        raise ValidationError({"commitment": _("Choose a commitment of a published action plan.")})
    if objective.commitments.filter(pk=commitment.pk).exists():
        return False
    objective._history_user = actor
    objective.commitments.add(commitment)
    return True


@transaction.atomic
def objective_unlink_commitment(*, actor, objective: Objective, commitment: Commitment) -> bool:
    """Take the link to the commitment away. Returns whether there was one."""
    objective = (
        Objective.objects.select_for_update(of=("self",))
        .select_related("plan")
        .get(pk=objective.pk)
    )
    require(policies.runs_plan(actor, objective.plan))
    if not objective.commitments.filter(pk=commitment.pk).exists():
        return False
    objective._history_user = actor
    objective.commitments.remove(commitment)
    return True
