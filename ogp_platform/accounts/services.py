"""Deleting an account: the person leaves, the public record of the consultations stays.

The user row is kept as an anonymous tombstone, because what the person wrote stays on the
record (comments are protected from deletion, and the history and the register refer to their
author): `deleted_at` is set, the name is blanked (the public name becomes "Deleted
participant" on every page, email and export), the address becomes `deleted-<id>@deleted.invalid`
(so the real one is free to sign up again), the password is made unusable and the account
inactive, which also ends every session (Django checks both on each request).

What is removed: email addresses, memberships of organisations (and the message sent with the
request, in their history too), roles on members, groups, permissions and roles on single
objects (an organisation's administrator: each taken with its record in the audit log), the
invited address on invitations the person accepted, and what each app declared it forgets
(`personal_data`: participation's follows, notifications and notification setting). What
stays, anonymous: comments (with their text, the organisation they spoke for and the responses
they received), votes and comment up-votes (a consultation's tallies do not change after the
fact), reports filed to the moderators, and the records of official acts (plans, transitions,
progress reports, moderation...), which now name "Deleted participant".
"""

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ogp_platform import roles
from ogp_platform.members.models import Invitation, MemberRole, OrganisationMembership

from . import personal_data, policies
from .models import User

TOMBSTONE_DOMAIN = "deleted.invalid"


def tombstone_email(user) -> str:
    """A unique address that can receive nothing (`.invalid` is reserved, RFC 2606)."""
    return f"deleted-{user.pk}@{TOMBSTONE_DOMAIN}"


@transaction.atomic
def account_delete(*, user) -> User:
    """Delete the user's account as described above; ValidationError (with every reason) when
    policies refuse. A confirmation goes to the old address once the transaction commits."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.is_deleted:
        raise ValidationError(_("This account has already been deleted."))
    blockers = policies.account_deletion_blockers(user)
    if blockers:
        raise ValidationError(blockers)
    _send_confirmation(user)
    for app in personal_data.registered():
        if app.forget is not None:
            app.forget(user)
    _forget_organisations_and_roles(user)
    _forget_invited_address(user)
    EmailAddress.objects.filter(user=user).delete()
    roles.object_permissions_revoke_all(actor=user, user=user)
    user.groups.clear()
    user.user_permissions.clear()
    _strip(user)
    return user


def _send_confirmation(user) -> None:
    """Tell the old address, in the person's language, what was removed and what stays. The
    message is built now, while the address and name still exist; the queue sends it after the
    commit (and never if the deletion rolls back)."""
    context = {"user": user, "site_name": settings.SITE_NAME, "deleted_at": timezone.now()}
    with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
        subject = render_to_string("accounts/email/account_deleted_subject.txt", context)
        body = render_to_string("accounts/email/account_deleted.txt", context)
    send_mail(subject, body, None, [user.email])


def _forget_organisations_and_roles(user) -> None:
    OrganisationMembership.objects.filter(user=user).delete()
    # The history keeps who belonged when (the organisation's record), not what they wrote.
    OrganisationMembership.history.filter(user_id=user.pk).update(message="")
    MemberRole.objects.filter(user=user).delete()


def _forget_invited_address(user) -> None:
    """An accepted invitation keeps its member, role and dates, not the person's address."""
    accepted = list(Invitation.objects.filter(accepted_by=user).values_list("pk", flat=True))
    address = tombstone_email(user)
    Invitation.objects.filter(pk__in=accepted).update(email=address)
    Invitation.history.filter(id__in=accepted).update(email=address)


def _strip(user) -> None:
    user.email = tombstone_email(user)
    user.display_name = ""
    user.preferred_language = settings.LANGUAGE_CODE
    user.set_unusable_password()
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.last_login = None
    user.deleted_at = timezone.now()
    user.save()
