"""Every write to a process's teams and to their rights on its items.

A team's people are kept equal to the users of its auth group, which holds the team's rights
on items as django-guardian group permissions (`ogp_platform.roles`: each grant and revocation
has its audit row; the team's history records who joined and left). Each function runs in one
transaction, checks the policy (PermissionDenied) and the rules (ValidationError keyed by the
field to fix), and saves history rows attributed to the actor.

The rules:
- team names are unique within a process, as people read them (case, look-alike characters);
- a process keeps at least one owner: the last person of its owner teams cannot be taken out,
  nor the last owner team removed;
- an owner team needs no right (owners hold them all); an observer team may only see;
- a team's rights go with it (revoked, with their records, before it is removed).
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ogp_platform import roles
from ogp_platform.members.models import Organisation
from ogp_platform.services import require
from ogp_platform.text import name_key

from .. import policies
from ..models import Process, Team, TreeItem
from ..permissions import RIGHT_LABELS, RIGHTS, VIEW_RESOURCES

User = get_user_model()


def _lock(process: Process) -> Process:
    """Lock the process row: two owners changing its teams at once take turns (so that they
    cannot both take out the other and leave it without an owner)."""
    return Process.objects.select_for_update().get(pk=process.pk)


def _holder_name(team: Team) -> str:
    """The team as the audit log names it (the log shows the item, not its process)."""
    return f"{team.name} ({team.process.name})"


def _changed_people(*users) -> None:
    """What this request read of their teams and rights is stale."""
    for user in users:
        policies.forget_team_roles(user)
        roles.forget(user)


# --- Teams -----------------------------------------------------------------------------------


@transaction.atomic
def team_create(*, actor, process: Process, name: str, kind: str, role: str) -> Team:
    """A new team of the process, with no one in it yet, and the group that will hold its
    rights."""
    process = _lock(process)
    require(policies.can_manage_teams(actor, process))
    name = " ".join((name or "").split())
    key = name_key(name)
    if key and any(
        name_key(other) == key
        for other in Team.objects.filter(process=process).values_list("name", flat=True)
    ):
        raise ValidationError(
            {"name": _("The process already has a team called “%(name)s”.") % {"name": name}}
        )
    team = Team(process=process, name=name, kind=kind, role=role)
    # The group is made only once the rest is known to be valid.
    team.full_clean(exclude=["process", "group"], validate_constraints=False)
    team.group = roles.holder_group_create(label=f"coproduction team of {process.slug}")
    team._history_user = actor
    team.save()
    return team


@transaction.atomic
def team_remove(*, actor, team: Team) -> None:
    """Remove the team: its rights (each with its record), then the team, then its group. The
    items it was responsible for are left without a responsible team."""
    process = _lock(team.process)
    require(policies.can_manage_teams(actor, process))
    if team.role == Team.Role.OWNER and not _other_owners(process, team=team):
        raise ValidationError(
            _("This is the last team of owners: the process needs at least one owner.")
        )
    roles.group_permissions_revoke_all(actor=actor, group=team.group, group_name=_holder_name(team))
    for item in TreeItem.objects.filter(responsible_team=team):
        item.responsible_team = None
        item._history_user = actor
        item.save(update_fields=["responsible_team"])
    people = list(team.people.all())
    group = team.group
    team._history_user = actor
    team.delete()
    group.delete()
    _changed_people(actor, *people)


def _other_owners(process: Process, *, team: Team, user=None) -> bool:
    """Whether someone stays an owner once `team` goes (or, with `user`, once `user` leaves
    `team`)."""
    memberships = Team.people.through.objects.filter(
        team__process=process, team__role=Team.Role.OWNER
    )
    if user is None:
        memberships = memberships.exclude(team=team)
    else:
        memberships = memberships.exclude(team=team, user=user)
    return memberships.exists()


# --- People and organisations ----------------------------------------------------------------


def person_by_email(email: str):
    """The active account with this address, or a ValidationError for the form's `email`
    field. (Only owners add people, so saying that no account has an address tells no
    stranger anything.)"""
    email = (email or "").strip()
    user = User.objects.filter(email__iexact=email, is_active=True).first() if email else None
    if user is None:
        raise ValidationError(
            {
                "email": _(
                    "No account has the address %(email)s. Ask the person to sign up first, "
                    "then add them."
                )
                % {"email": email}
            }
        )
    return user


@transaction.atomic
def team_add_person(*, actor, team: Team, user) -> bool:
    """Put `user` in the team (and its group). Returns whether they were not in it already."""
    process = _lock(team.process)
    require(policies.can_manage_teams(actor, process))
    if not user.is_active:
        raise ValidationError({"email": _("This account is closed.")})
    if team.people.filter(pk=user.pk).exists():
        return False
    team._history_user = actor
    team.people.add(user)
    team.group.user_set.add(user)
    _changed_people(actor, user)
    return True


@transaction.atomic
def team_remove_person(*, actor, team: Team, user) -> bool:
    """Take `user` out of the team (and its group). Returns whether they were in it."""
    process = _lock(team.process)
    require(policies.can_manage_teams(actor, process))
    if not team.people.filter(pk=user.pk).exists():
        return False
    if team.role == Team.Role.OWNER and not _other_owners(process, team=team, user=user):
        raise ValidationError(
            _(
                "%(person)s is the last owner of the process: add another owner before "
                "taking them out."
            )
            % {"person": user.get_full_name() or user.email}
        )
    team._history_user = actor
    team.people.remove(user)
    team.group.user_set.remove(user)
    _changed_people(actor, user)
    return True


@transaction.atomic
def team_add_organisation(*, actor, team: Team, organisation: Organisation) -> bool:
    """Name `organisation` as part of the team. Returns whether it was not already."""
    require(policies.can_manage_teams(actor, _lock(team.process)))
    if team.organisations.filter(pk=organisation.pk).exists():
        return False
    team._history_user = actor
    team.organisations.add(organisation)
    return True


@transaction.atomic
def team_remove_organisation(*, actor, team: Team, organisation: Organisation) -> bool:
    """Take `organisation` out of the team. Returns whether it was in it."""
    require(policies.can_manage_teams(actor, _lock(team.process)))
    if not team.organisations.filter(pk=organisation.pk).exists():
        return False
    team._history_user = actor
    team.organisations.remove(organisation)
    return True


# --- Rights on items -------------------------------------------------------------------------


def _check_right(team: Team, item: TreeItem, permission: str) -> None:
    if permission not in RIGHTS:
        raise ValueError(f"{permission} is not a right on a process item")
    if item.process_id != team.process_id:
        raise ValueError("The team and the item belong to different processes")
    if team.role == Team.Role.OWNER:
        raise ValidationError(
            _("%(team)s is a team of owners: owners hold every right already.")
            % {"team": team.name}
        )
    if team.role == Team.Role.OBSERVER and permission != VIEW_RESOURCES:
        raise ValidationError(
            _("%(team)s observes the process: it may be allowed to see, not to “%(right)s”.")
            % {"team": team.name, "right": RIGHT_LABELS[permission]}
        )


@transaction.atomic
def rights_grant(*, actor, team: Team, item: TreeItem, permission: str) -> bool:
    """Give the team `permission` ("coproduction.add_resources"...) on `item` and everything
    under it. Returns whether it is new."""
    require(policies.can_manage_rights(actor, _lock(team.process)))
    _check_right(team, item, permission)
    return roles.group_permission_grant(
        actor=actor,
        group=team.group,
        permission=permission,
        obj=item,
        group_name=_holder_name(team),
    )


@transaction.atomic
def rights_revoke(*, actor, team: Team, item: TreeItem, permission: str) -> bool:
    """Take `permission` on `item` from the team (what it holds through an ancestor stays).
    Returns whether it held it on this item."""
    require(policies.can_manage_rights(actor, _lock(team.process)))
    if permission not in RIGHTS:
        raise ValueError(f"{permission} is not a right on a process item")
    return roles.group_permission_revoke(
        actor=actor,
        group=team.group,
        permission=permission,
        obj=item,
        group_name=_holder_name(team),
    )


@transaction.atomic
def rights_set(*, actor, item: TreeItem, granted: set[tuple[int, str]]) -> tuple[int, int]:
    """Make the rights granted on `item` itself exactly `granted`, a set of (team id,
    permission) of the item's process: what is missing is granted, what is not listed is
    revoked, each with its record. Returns (granted, revoked) counts."""
    process = _lock(item.process)
    require(policies.can_manage_rights(actor, process))
    teams = {team.pk: team for team in Team.objects.filter(process=process)}
    unknown = {team_id for team_id, _permission in granted} - set(teams)
    if unknown:
        raise ValueError(f"teams {sorted(unknown)} are not teams of {process}")
    held = roles.group_grants([item]).get(str(item.pk), {})
    by_group = {team.group_id: team.pk for team in teams.values()}
    current = {
        (by_group[group_id], permission)
        for group_id, permissions in held.items()
        if group_id in by_group
        for permission in permissions
    }
    errors = []
    for team_id, permission in sorted(granted - current):
        try:
            _check_right(teams[team_id], item, permission)
        except ValidationError as error:
            errors.extend(error.messages)
    if errors:
        raise ValidationError(errors)
    added = sum(
        rights_grant(actor=actor, team=teams[team_id], item=item, permission=permission)
        for team_id, permission in sorted(granted - current)
    )
    removed = sum(
        rights_revoke(actor=actor, team=teams[team_id], item=item, permission=permission)
        for team_id, permission in sorted(current - granted)
    )
    return added, removed
