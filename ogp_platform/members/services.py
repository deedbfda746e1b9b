"""Every write to members, organisations, roles and onboardings. Each function runs in one
transaction, takes the acting user as a keyword argument and leaves an audit trail (history
rows, status changes, onboarding events); mail goes out only after commit."""

import datetime
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ogp_platform import roles
from ogp_platform.text import unique_slug

from . import countries
from .eligibility import Eligibility, eligibility_result
from .models import (
    Institution,
    Invitation,
    Member,
    MemberRole,
    MemberStatusChange,
    Onboarding,
    OnboardingEvent,
    Organisation,
    OrganisationMembership,
    OrganisationRename,
)
from .policies import ADMINISTER_ORGANISATION, is_ogp_admin

INVITATION_LIFETIME = datetime.timedelta(days=14)


def _record(onboarding: Onboarding, step: str, summary: str, actor) -> None:
    OnboardingEvent.objects.create(
        onboarding=onboarding, step=step, summary=summary[:300], actor=actor
    )


def _save(instance, actor, fields: list[str] | None = None) -> None:
    instance._history_user = actor
    instance.save(update_fields=fields)


# --- Members and onboarding ----------------------------------------------------------------


@transaction.atomic
def member_start_onboarding(
    *,
    actor,
    kind: str,
    name: str,
    country: str,
    region: str,
    local_code: str = "",
    parent: Member | None = None,
    cohort: str = "",
    website: str = "",
) -> Member:
    """Create a member in onboarding, with its empty checklist."""
    member = Member(
        kind=kind,
        name=name.strip(),
        slug=unique_slug(Member, name),
        country=country.upper(),
        country_alpha3=countries.alpha3(country),
        local_code=local_code.upper() if kind == Member.Kind.LOCAL else "",
        parent=parent if kind == Member.Kind.LOCAL else None,
        region=region,
        cohort=cohort,
        website=website,
    )
    member._history_user = actor
    member.full_clean()
    member.save()
    onboarding = Onboarding.objects.create(member=member, started_by=actor)
    _record(onboarding, "", _("Onboarding started"), actor)
    return member


@transaction.atomic
def onboarding_record_eligibility(*, actor, onboarding: Onboarding, scores: dict) -> Eligibility:
    result = eligibility_result(scores)
    for criterion, score in scores.items():
        setattr(onboarding, criterion, score)
    _save(onboarding, actor, list(scores))
    _record(
        onboarding,
        Onboarding.Step.ELIGIBILITY,
        _("%(points)s of %(available)s points: %(outcome)s")
        % {"points": result.points, "available": result.available, "outcome": result.label},
        actor,
    )
    return result


@transaction.atomic
def onboarding_record_values(*, actor, onboarding: Onboarding, passed: bool, note: str) -> None:
    if onboarding.member.is_local:
        raise ValidationError(_("The values check applies to countries only."))
    onboarding.values_passed = passed
    onboarding.values_note = note.strip()
    _save(onboarding, actor, ["values_passed", "values_note"])
    _record(
        onboarding,
        Onboarding.Step.VALUES,
        _("Values check passed") if passed else _("Values check failed"),
        actor,
    )


@transaction.atomic
def onboarding_record_letter(
    *, actor, onboarding: Onboarding, letter_date: datetime.date, letter_file=None
) -> None:
    """Record the letter of intent; a new file replaces the old one, no file keeps it."""
    if letter_file is None and not onboarding.letter_file:
        raise ValidationError({"letter_file": _("Upload the letter of intent as a PDF.")})
    onboarding.letter_date = letter_date
    fields = ["letter_date"]
    if letter_file is not None:
        onboarding.letter_file = letter_file
        fields.append("letter_file")
    _save(onboarding, actor, fields)
    _record(
        onboarding,
        Onboarding.Step.LETTER,
        _("Letter of intent dated %(date)s") % {"date": letter_date.isoformat()},
        actor,
    )


@transaction.atomic
def onboarding_set_partners(*, actor, onboarding: Onboarding, organisations) -> None:
    organisations = list(organisations)
    if onboarding.member.is_local and not organisations:
        raise ValidationError(
            _("A local government applies with at least one non-governmental partner.")
        )
    onboarding.member.organisations.set(organisations)
    _record(
        onboarding,
        Onboarding.Step.PARTNERS,
        _("Partners: %(names)s") % {"names": ", ".join(o.name for o in organisations)},
        actor,
    )


@transaction.atomic
def onboarding_set_lead_agency(*, actor, onboarding: Onboarding, lead_agency: str) -> None:
    member = onboarding.member
    member.lead_agency = lead_agency.strip()
    _save(member, actor, ["lead_agency"])
    _record(
        onboarding,
        Onboarding.Step.CONTACTS,
        _("Lead agency: %(name)s") % {"name": member.lead_agency},
        actor,
    )


@transaction.atomic
def onboarding_activate(*, actor, onboarding: Onboarding) -> None:
    """Make the member active once every earlier step of the checklist is done."""
    from .selectors import onboarding_checklist

    missing = [
        str(step.label)
        for step in onboarding_checklist(onboarding)
        if step.key != Onboarding.Step.ACTIVATION and not step.done
    ]
    if missing:
        raise ValidationError(
            _("These steps are not done yet: %(steps)s.") % {"steps": ", ".join(missing)}
        )
    member = onboarding.member
    if member.date_joined is None:
        member.date_joined = timezone.localdate()
        _save(member, actor, ["date_joined"])
    member_change_status(
        actor=actor, member=member, status=Member.Status.ACTIVE, reason=_("Onboarding completed.")
    )
    onboarding.completed_at = timezone.now()
    _save(onboarding, actor, ["completed_at"])
    _record(onboarding, Onboarding.Step.ACTIVATION, _("Member activated"), actor)


@transaction.atomic
def member_change_status(*, actor, member: Member, status: str, reason: str) -> None:
    """Change a member's status; who, when and why are kept."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for the change.")})
    if status == member.status:
        raise ValidationError({"status": _("The member already has this status.")})
    MemberStatusChange.objects.create(
        member=member, from_status=member.status, to_status=status, reason=reason, changed_by=actor
    )
    member.status = status
    member.status_reason = reason
    member.status_changed_at = timezone.now()
    _save(member, actor, ["status", "status_reason", "status_changed_at"])


@transaction.atomic
def member_update(*, actor, member: Member, **fields) -> None:
    for name, value in fields.items():
        setattr(member, name, value)
    member.full_clean()
    _save(member, actor, list(fields))


@transaction.atomic
def institution_save(*, actor, member: Member, institution: Institution | None = None, **fields):
    institution = institution or Institution(member=member)
    for name, value in fields.items():
        setattr(institution, name, value)
    institution.full_clean()
    institution._history_user = actor
    institution.save()
    return institution


# --- Roles and invitations -----------------------------------------------------------------


def _send_invitation(invitation: Invitation, token: str) -> None:
    path = reverse("members:invitation", kwargs={"token": token})
    context = {
        "invitation": invitation,
        "member": invitation.member,
        "url": settings.SITE_URL + path,
        "expires_at": invitation.expires_at,
        "site_name": settings.SITE_NAME,
    }
    subject = _("Invitation: %(role)s of %(member)s on %(site)s") % {
        "role": invitation.get_role_display(),
        "member": invitation.member.localised_name,
        "site": settings.SITE_NAME,
    }
    send_mail(
        subject,
        render_to_string("members/email/invitation.txt", context),
        None,
        [invitation.email],
    )


def _new_token(invitation: Invitation) -> str:
    token = secrets.token_urlsafe(32)
    invitation.token_digest = Invitation.digest(token)
    return token


@transaction.atomic
def invitation_create(
    *, actor, member: Member, email: str, role: str = MemberRole.Role.POINT_OF_CONTACT
) -> Invitation:
    """Invite someone by email to a role on the member; the email carries the only link."""
    email = email.strip().lower()
    now = timezone.now()
    invitation = Invitation(
        member=member,
        email=email,
        role=role,
        invited_by=actor,
        created_at=now,
        sent_at=now,
        expires_at=now + INVITATION_LIFETIME,
    )
    token = _new_token(invitation)
    invitation.full_clean(exclude=["token_digest"], validate_constraints=False)
    try:
        with transaction.atomic():
            invitation._history_user = actor
            invitation.save()
    except IntegrityError:
        raise ValidationError(
            {"email": _("This address already has an open invitation for this role: resend it.")}
        ) from None
    if hasattr(member, "onboarding"):
        _record(
            member.onboarding,
            Onboarding.Step.CONTACTS,
            _("Invited %(email)s as %(role)s")
            % {"email": email, "role": invitation.get_role_display()},
            actor,
        )
    _send_invitation(invitation, token)
    return invitation


@transaction.atomic
def invitation_resend(*, actor, invitation: Invitation) -> None:
    """Send a fresh link (the old one stops working) with a new expiry."""
    if invitation.status in (Invitation.Status.ACCEPTED, Invitation.Status.REVOKED):
        raise ValidationError(_("Only an open or expired invitation can be sent again."))
    token = _new_token(invitation)
    now = timezone.now()
    invitation.sent_at = now
    invitation.expires_at = now + INVITATION_LIFETIME
    invitation.send_count += 1
    _save(invitation, actor, ["token_digest", "sent_at", "expires_at", "send_count"])
    _send_invitation(invitation, token)


@transaction.atomic
def invitation_revoke(*, actor, invitation: Invitation) -> None:
    if invitation.status == Invitation.Status.ACCEPTED:
        raise ValidationError(
            _("An accepted invitation cannot be revoked; remove the role instead.")
        )
    if invitation.revoked_at:
        return
    invitation.revoked_at = timezone.now()
    invitation.revoked_by = actor
    _save(invitation, actor, ["revoked_at", "revoked_by"])


def invitation_for_token(token: str) -> Invitation | None:
    return (
        Invitation.objects.select_related("member")
        .filter(token_digest=Invitation.digest(token))
        .first()
    )


@transaction.atomic
def invitation_accept(*, user, invitation: Invitation) -> MemberRole:
    """Grant the invited role to the user who owns the invited address. Accepting twice does
    nothing more."""
    from allauth.account.models import EmailAddress

    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.status == Invitation.Status.ACCEPTED:
        if invitation.accepted_by_id != user.pk:
            raise ValidationError(_("This invitation has already been accepted by someone else."))
        return MemberRole.objects.get(member=invitation.member, user=user, role=invitation.role)
    if invitation.status == Invitation.Status.REVOKED:
        raise ValidationError(_("This invitation has been withdrawn."))
    if invitation.status == Invitation.Status.EXPIRED:
        raise ValidationError(
            _("This invitation has expired. Ask whoever invited you to send it again.")
        )
    address = EmailAddress.objects.filter(user=user, email__iexact=invitation.email).first()
    if address is None:
        raise ValidationError(
            _("This invitation was sent to %(email)s. Sign in with that address to accept it.")
            % {"email": invitation.email}
        )
    if not address.verified:
        # The link reached the invited mailbox: that proves the address.
        address.verified = True
        address.save(update_fields=["verified"])
    role, _created = MemberRole.objects.get_or_create(
        member=invitation.member,
        user=user,
        role=invitation.role,
        defaults={"granted_by": invitation.invited_by},
    )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    _save(invitation, user, ["accepted_at", "accepted_by"])
    return role


@transaction.atomic
def member_role_remove(*, actor, role: MemberRole) -> None:
    role._history_user = actor
    role.delete()


# --- Organisations -------------------------------------------------------------------------


@transaction.atomic
def organisation_create(
    *, actor, name: str, kind: str, country: str, website: str = "", description: str = ""
) -> Organisation:
    """Register an organisation; whoever registers it becomes its first administrator."""
    organisation = Organisation(
        name=name.strip(),
        slug=unique_slug(Organisation, name),
        kind=kind,
        country=country.upper(),
        website=website,
        description=description.strip(),
    )
    _validate_organisation(organisation)
    _save_organisation(organisation, actor)
    membership = OrganisationMembership(
        organisation=organisation,
        user=actor,
        status=OrganisationMembership.Status.APPROVED,
        decided_at=timezone.now(),
        decided_by=actor,
    )
    _save(membership, actor)
    roles.object_permission_grant(
        actor=actor, user=actor, permission=ADMINISTER_ORGANISATION, obj=organisation
    )
    return organisation


def _validate_organisation(organisation: Organisation) -> None:
    # The key is derived from the name: Organisation.clean() checks that it is free, with a
    # message on the field people type.
    organisation.full_clean(exclude=["name_key"])


def _save_organisation(organisation: Organisation, actor, fields: list[str] | None = None):
    """Save, turning a name taken meanwhile by someone else's save (after our check) into the
    same message the check gives."""
    try:
        with transaction.atomic():
            _save(organisation, actor, fields)
    except IntegrityError:
        taken = organisation.name_taken_by(organisation.name)
        if taken is None:
            raise
        raise ValidationError({"name": Organisation.name_taken_error(taken)}) from None


def _renames_wait_for_approval(actor, organisation: Organisation) -> bool:
    """A verified organisation's own administrators ask for a new name; OGP admins, who
    verify organisations, rename it."""
    return organisation.verified and not is_ogp_admin(actor)


@transaction.atomic
def organisation_update(
    *, actor, organisation: Organisation, **fields
) -> OrganisationRename | None:
    """Change an organisation's details. A new name for a verified organisation, asked by
    anyone but an OGP admin, is not applied: it becomes a rename waiting for an OGP admin's
    approval (replacing any request still waiting), and is returned; the other details are
    saved at once. The new name must be free, now and again when it is approved."""
    Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
    # The form has already set the new values on the instance: read what is stored, then
    # apply the changes (all but a name that must wait).
    organisation.refresh_from_db()
    new_name = fields.get("name")
    rename = None
    if (
        new_name is not None
        and new_name.strip() != organisation.name
        and _renames_wait_for_approval(actor, organisation)
    ):
        rename = _rename_request(actor, organisation, new_name.strip())
        fields = {name: value for name, value in fields.items() if name != "name"}
    elif new_name is not None:
        fields["name"] = new_name.strip()
    for name, value in fields.items():
        setattr(organisation, name, value)
    _validate_organisation(organisation)
    if fields:
        _save_organisation(organisation, actor, list(fields))
    return rename


def _rename_request(actor, organisation: Organisation, new_name: str) -> OrganisationRename:
    pending = OrganisationRename.objects.filter(
        organisation=organisation, status=OrganisationRename.Status.PENDING
    ).first()
    rename = pending or OrganisationRename(organisation=organisation)
    rename.old_name = organisation.name
    rename.new_name = new_name
    rename.requested_by = actor
    rename.requested_at = timezone.now()
    rename.full_clean(exclude=["organisation", "requested_by"], validate_constraints=False)
    taken = organisation.name_taken_by(new_name)
    if taken is not None:
        raise ValidationError({"name": Organisation.name_taken_error(taken)})
    _save(rename, actor)
    return rename


@transaction.atomic
def organisation_rename_decide(
    *, actor, rename: OrganisationRename, approve: bool, reason: str = ""
) -> None:
    """An OGP admin approves a verified organisation's new name (the organisation takes it and
    stays verified) or refuses it, with a reason its administrators see. A name another
    organisation has taken since the request cannot be approved."""
    rename = OrganisationRename.objects.select_for_update().get(pk=rename.pk)
    if not rename.is_pending:
        raise ValidationError(_("This rename has already been decided."))
    reason = (reason or "").strip()
    if approve:
        organisation = Organisation.objects.select_for_update().get(pk=rename.organisation_id)
        taken = organisation.name_taken_by(rename.new_name)
        if taken is not None:
            raise ValidationError(
                {
                    "decision": _(
                        "Another organisation is now called “%(name)s”: this rename cannot be "
                        "approved. Refuse it, with that reason."
                    )
                    % {"name": taken.name}
                }
            )
        organisation.name = rename.new_name
        _validate_organisation(organisation)
        _save_organisation(organisation, actor, ["name"])
    elif not reason:
        raise ValidationError({"reason": _("Say why the new name is refused.")})
    rename.status = (
        OrganisationRename.Status.APPROVED if approve else OrganisationRename.Status.REJECTED
    )
    rename.reason = reason
    rename.decided_by = actor
    rename.decided_at = timezone.now()
    _save(rename, actor, ["status", "reason", "decided_by", "decided_at"])


@transaction.atomic
def organisation_request_membership(
    *, user, organisation: Organisation, message: str = ""
) -> OrganisationMembership:
    """Ask to speak for an organisation. Asking again after a refusal re-opens the request."""
    membership, created = OrganisationMembership.objects.select_for_update().get_or_create(
        organisation=organisation, user=user, defaults={"message": message.strip()}
    )
    if not created and membership.status == OrganisationMembership.Status.REFUSED:
        membership.status = OrganisationMembership.Status.PENDING
        membership.message = message.strip()
        membership.requested_at = timezone.now()
        membership.decided_at = membership.decided_by = None
        _save(membership, user)
    return membership


@transaction.atomic
def organisation_decide_membership(
    *, actor, membership: OrganisationMembership, approve: bool
) -> None:
    membership.status = (
        OrganisationMembership.Status.APPROVED if approve else OrganisationMembership.Status.REFUSED
    )
    membership.decided_at = timezone.now()
    membership.decided_by = actor
    _save(membership, actor, ["status", "decided_at", "decided_by"])
    send_mail(
        _("Your request to join %(organisation)s") % {"organisation": membership.organisation},
        render_to_string("members/email/membership_decided.txt", {"membership": membership}),
        None,
        [membership.user.email],
    )


@transaction.atomic
def organisation_admin_grant(*, actor, membership: OrganisationMembership) -> bool:
    """Make someone who speaks for the organisation one of its administrators (the grant is
    recorded in the audit log). Returns whether they were not one already."""
    if membership.status != OrganisationMembership.Status.APPROVED:
        raise ValidationError(
            _("Only someone who speaks for the organisation can become its administrator.")
        )
    return roles.object_permission_grant(
        actor=actor,
        user=membership.user,
        permission=ADMINISTER_ORGANISATION,
        obj=membership.organisation,
    )


@transaction.atomic
def organisation_admin_revoke(*, actor, membership: OrganisationMembership) -> bool:
    """Stop someone being an administrator of the organisation (recorded in the audit log);
    they still speak for it. The last administrator stays: an organisation is never left
    without one by a click. Returns whether they were one."""
    # Locked, so that two administrators removing each other at once cannot both succeed.
    organisation = Organisation.objects.select_for_update().get(pk=membership.organisation_id)
    admins = roles.holder_ids(ADMINISTER_ORGANISATION, organisation)
    if membership.user_id not in admins:
        return False
    if admins == {membership.user_id}:
        raise ValidationError(
            _(
                "%(person)s is the organisation's only administrator. Make someone else "
                "administrator first."
            )
            % {"person": membership.user.get_full_name()}
        )
    return roles.object_permission_revoke(
        actor=actor, user=membership.user, permission=ADMINISTER_ORGANISATION, obj=organisation
    )


@transaction.atomic
def organisation_set_verified(*, actor, organisation: Organisation, verified: bool) -> None:
    organisation.verified = verified
    _save(organisation, actor, ["verified"])
