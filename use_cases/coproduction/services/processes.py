"""Every write to a co-production process itself: creating it (from a schema or empty), changing
its details, and moving it between being prepared, running and finished.

Each function runs in one transaction, checks the policy (PermissionDenied) and the rules
(ValidationError keyed by the field to fix), and saves a history row attributed to the actor.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ogp_platform.members.models import Member, Organisation
from ogp_platform.services import require
from ogp_platform.text import unique_slug, validate_single_line

from .. import policies
from ..models import Process, Schema, Team
from . import teams, tree
from .governance import governance_default

NAME_LENGTH = Process._meta.get_field("name").max_length
DETAIL_FIELDS = ("name", "description", "languages", "visibility")


def language_codes() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def _clean_details(values: dict) -> tuple[dict, dict]:
    """The details given, cleaned, and the errors keyed by field."""
    errors: dict[str, list] = {}
    cleaned = {}
    if "name" in values:
        name = (values["name"] or "").strip()
        if not name:
            errors["name"] = [_("Give the process a name.")]
        elif len(name) > NAME_LENGTH:
            errors["name"] = [
                _("Keep the name under %(limit)s characters.") % {"limit": NAME_LENGTH}
            ]
        else:
            try:
                validate_single_line(name)
            except ValidationError as error:
                errors["name"] = list(error.messages)
        cleaned["name"] = name
    if "description" in values:
        cleaned["description"] = (values["description"] or "").strip()
    if "languages" in values:
        known = language_codes()
        chosen = list(dict.fromkeys(values["languages"] or ()))
        if not chosen:
            errors["languages"] = [_("Choose at least one language the process works in.")]
        elif set(chosen) - set(known):
            errors["languages"] = [_("Choose languages from the list.")]
        cleaned["languages"] = chosen
    if "visibility" in values:
        if values["visibility"] not in Process.Visibility.values:
            errors["visibility"] = [_("Choose who may see the process.")]
        cleaned["visibility"] = values["visibility"]
    return cleaned, errors


@transaction.atomic
def process_create(
    *,
    actor,
    name: str,
    description: str,
    languages: list[str],
    owner_members: list[Member],
    owner_organisations: list[Organisation] = (),
    visibility: str,
    schema: Schema | None = None,
) -> Process:
    """Start a co-production process owned by `owner_members` (the first is its primary member,
    whose pages show it) and `owner_organisations`, from `schema`'s tree or empty. The actor
    must be allowed to create a process for every owning member, and to name every owning
    organisation. The process gets its first team, "Owners" (a public administration team
    whose role is owner, with the actor in it), and its default rules."""
    owner_members = list(dict.fromkeys(owner_members))
    owner_organisations = list(dict.fromkeys(owner_organisations))
    require(policies.can_create_process(actor))
    for member in owner_members:
        require(policies.can_create_process(actor, member))
    for organisation in owner_organisations:
        require(policies.can_name_owner_organisation(actor, organisation))
    cleaned, errors = _clean_details(
        {"name": name, "description": description, "languages": languages, "visibility": visibility}
    )
    if not owner_members:
        errors["owner_members"] = [_("Choose the member that leads the process.")]
    if errors:
        raise ValidationError(errors)
    process = Process(
        **cleaned,
        slug=unique_slug(Process, cleaned["name"], fallback="process"),
        primary_member=owner_members[0],
        schema=schema,
        created_by=actor,
    )
    process._history_user = actor
    process.save()
    process.owner_members.set(owner_members)
    process.owner_organisations.set(owner_organisations)
    _one_first_version(process)
    team = teams.team_create(
        actor=actor,
        process=process,
        name=_("Owners"),
        kind=Team.Kind.PUBLIC_ADMINISTRATION,
        role=Team.Role.OWNER,
    )
    teams.team_add_person(actor=actor, team=team, user=actor)
    if schema is not None:
        tree.tree_from_schema(actor=actor, process=process, schema=schema)
    governance_default(process=process)
    return process


@transaction.atomic
def process_update(*, actor, process: Process, **fields) -> Process:
    """Change the process's name, description, languages or visibility (only those given).
    Its address stays the same when it is renamed, so links to it keep working."""
    process = Process.objects.select_for_update().get(pk=process.pk)
    require(policies.can_manage_process(actor, process))
    unknown = set(fields) - set(DETAIL_FIELDS)
    if unknown:
        raise TypeError(f"A process has no editable field {sorted(unknown)!r}")
    cleaned, errors = _clean_details(fields)
    if errors:
        raise ValidationError(errors)
    for name, value in cleaned.items():
        setattr(process, name, value)
    process._history_user = actor
    process.save()
    return process


def _one_first_version(process: Process) -> None:
    """Setting the owners of a new process writes a version each (the owners are in its
    history): keep the last, with all of them, as the process's first version."""
    records = list(process.history.order_by("history_id").only("history_id"))
    if len(records) > 1:
        records[-1].history_type = "+"
        records[-1].save(update_fields=["history_type"])
        process.history.filter(history_id__in=[r.history_id for r in records[:-1]]).delete()


@transaction.atomic
def process_owner_add(
    *, actor, process: Process, member: Member | None = None, organisation=None
) -> Process:
    """Make `member` or `organisation` an owner of the process too (a city joining a
    ministry's process). Only an owner may, and only for a member they are an officer of or an
    organisation they administer, as at creation: someone of the body itself says it takes
    part. So a ministry's owners first put the city's officer in the owner team; the officer
    then adds the city."""
    process = Process.objects.select_for_update().get(pk=process.pk)
    require(policies.can_manage_process(actor, process))
    if (member is None) == (organisation is None):
        raise TypeError("Give a member or an organisation")
    # The version the change of owners makes (the owners are in the process's history).
    process._history_user = actor
    if member is not None:
        require(policies.can_create_process(actor, member))
        if process.owner_members.filter(pk=member.pk).exists():
            raise ValidationError({"member": _("This member already owns the process.")})
        process.owner_members.add(member)
    else:
        require(policies.can_name_owner_organisation(actor, organisation))
        if process.owner_organisations.filter(pk=organisation.pk).exists():
            raise ValidationError(
                {"organisation": _("This organisation already owns the process.")}
            )
        process.owner_organisations.add(organisation)
    return process


@transaction.atomic
def process_owner_remove(
    *, actor, process: Process, member: Member | None = None, organisation=None
) -> Process:
    """Take `member` or `organisation` off the owners. A process keeps at least one owning
    member; when the primary one goes, another owning member takes its place, and the process
    moves to that member's pages."""
    process = Process.objects.select_for_update().get(pk=process.pk)
    require(policies.can_manage_process(actor, process))
    if (member is None) == (organisation is None):
        raise TypeError("Give a member or an organisation")
    # The version the change of owners makes (the owners are in the process's history).
    process._history_user = actor
    if organisation is not None:
        process.owner_organisations.remove(organisation)
        return process
    others = process.owner_members.exclude(pk=member.pk).order_by("pk")
    if not others.exists():
        raise ValidationError(
            {"member": _("A process needs at least one owning member: add another one first.")}
        )
    if process.primary_member_id == member.pk:
        process.primary_member = others.first()
        process._history_user = actor
        process.save(update_fields=["primary_member"])
    process.owner_members.remove(member)
    return process


@transaction.atomic
def process_set_status(*, actor, process: Process, status: str) -> Process:
    """Move the process between being prepared, running and finished (either way: a finished
    process may be reopened). The tasks of a finished process do not change."""
    process = Process.objects.select_for_update().get(pk=process.pk)
    require(policies.can_manage_process(actor, process))
    if status not in Process.Status.values:
        raise ValidationError({"status": _("Choose being prepared, running or finished.")})
    if process.status != status:
        process.status = status
        process._history_user = actor
        process.save(update_fields=["status"])
    return process
