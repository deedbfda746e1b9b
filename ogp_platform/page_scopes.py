"""Which cached pages a change to each model touches (see `ogp_platform.pagecache`).

Kept in one place, in the wiring package, because it is a statement about the public pages
(the member directory, the commitment explorer, a member's pages) rather than about any one
app. A model of the project not named here refreshes every cached page when it changes.
"""

from action_plans.models import ActionPlan, PdfExport, PlanTransition
from commitments.models import (
    Assessment,
    Commitment,
    CommitmentImport,
    CommitmentNumbering,
    Evidence,
    Milestone,
    ProgressReport,
)
from participation.interface import adapter_for
from participation.models import (
    Comment,
    CommentVote,
    Consultation,
    Follow,
    Input,
    ModerationAction,
    Notification,
    NotificationSetting,
    Report,
    Vote,
)

from .accounts.models import User
from .audit.models import PlatformRoleChange
from .members.models import (
    ContraryToProcess,
    ForumMeeting,
    ForumSeat,
    Institution,
    Invitation,
    Member,
    MemberRole,
    MemberStatusChange,
    Onboarding,
    OrganisationRename,
    RepositoryDocument,
)
from .outbox.models import OutboundEmail
from .pagecache import DIRECTORY, EPOCH, EXPLORER, ignore, member_scope, track

# What a user changes about themselves that no page shows.
PRIVATE_USER_FIELDS = {"last_login", "password", "preferred_language"}


def _member(instance):
    return (member_scope(instance.member_id),)


def _member_of(obj):
    """The scope of the member owning a participable object (a plan, a commitment…)."""
    return member_scope(adapter_for(obj).member(obj).pk)


def _plan_member(plan_id):
    return member_scope(ActionPlan.objects.values_list("member_id", flat=True).get(pk=plan_id))


def _commitment(commitment_id):
    plan_id = Commitment.objects.values_list("plan_id", flat=True).get(pk=commitment_id)
    return (_plan_member(plan_id), EXPLORER)


def _comment(comment):
    if comment.consultation_id:
        member_id = Consultation.objects.values_list("member_id", flat=True).get(
            pk=comment.consultation_id
        )
        return (member_scope(member_id),)
    return (_member_of(comment.target),)


def register() -> None:
    track(Member, lambda m: (member_scope(m.pk), member_scope(m.parent_id), DIRECTORY))
    track(Institution, lambda i: (*_member(i), EXPLORER))
    for model in (
        MemberRole,
        MemberStatusChange,
        ContraryToProcess,
        Onboarding,
        Invitation,
        ForumSeat,
        ForumMeeting,
        RepositoryDocument,
    ):
        track(model, _member)
    # A name shows wherever the person commented, across members; a new account shows nowhere.
    track(User, lambda u: (EPOCH,), private_fields=PRIVATE_USER_FIELDS, unseen_when_created=True)

    track(ActionPlan, lambda p: (*_member(p), DIRECTORY, EXPLORER))
    track(PlanTransition, lambda t: (_plan_member(t.plan_id), DIRECTORY, EXPLORER))
    track(Commitment, lambda c: (_plan_member(c.plan_id), EXPLORER))
    for model in (Milestone, ProgressReport, Assessment):
        track(model, lambda obj: _commitment(obj.commitment_id))
    track(Evidence, lambda e: _commitment(e.report.commitment_id))

    track(Consultation, _member)
    track(Input, _member)
    track(Comment, _comment)
    for model in (CommentVote, Report, ModerationAction):
        track(model, lambda obj: _comment(obj.comment))
    for model in (Vote, Follow):
        track(model, lambda obj: (_member_of(obj.target),))

    ignore(
        PdfExport,
        CommitmentImport,
        CommitmentNumbering,
        Notification,
        NotificationSetting,
        PlatformRoleChange,
        OutboundEmail,
        # A rename waiting for approval shows only on the organisation's page, which is not
        # cached; its approval saves the organisation, which refreshes every page.
        OrganisationRename,
    )
