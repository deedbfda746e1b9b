"""Reads of members, organisations and onboardings, already filtered to what the user may see
and with what the pages show fetched in a constant number of queries."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from ogp_platform import roles

from . import countries, policies
from .eligibility import Eligibility, Outcome, eligibility_result
from .models import (
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


def member_directory(
    *, user, kind: str = "", region: str = "", status: str = "", query: str = ""
) -> list[Member]:
    """The public directory: filtered, searched, with what each entry shows, in the order of
    the names the reader sees (Lettonia among the L in Italian). A search finds a country by
    its name in the reader's language too, with the local members in it."""
    members = policies.members_visible_to(user).exclude(status=Member.Status.ONBOARDING)
    if kind:
        members = members.filter(kind=kind)
    if region:
        members = members.filter(region=region)
    if status:
        members = members.filter(status=status)
    if query:
        members = members.filter(
            Q(name__icontains=query)
            | Q(parent__name__icontains=query)
            | Q(country__in=countries.matching(query))
        )
    # Counted through the reverse relation: members know nothing of the plans app.
    published_plans = Count("action_plans", filter=Q(action_plans__published_at__isnull=False))
    # Sorted here, not by the database: the names are translated on the way out. OGP has a
    # few hundred members, read in the one query either way.
    return sorted(
        members.select_related("parent").annotate(published_plan_count=published_plans),
        key=lambda member: (countries.sort_key(member.localised_name), member.pk),
    )


def member_detail(*, user, slug: str) -> Member | None:
    member = (
        policies.members_visible_to(user)
        .select_related("parent")
        .prefetch_related(
            "institutions",
            Prefetch("organisations", queryset=Organisation.objects.order_by("name")),
            Prefetch(
                "roles",
                queryset=MemberRole.objects.select_related("user", "institution").order_by(
                    "role", "user__display_name"
                ),
            ),
            Prefetch(
                "local_members",
                queryset=Member.objects.exclude(status=Member.Status.ONBOARDING).order_by("name"),
            ),
        )
        .filter(slug=slug)
        .first()
    )
    return member


def member_latest_status_change(member: Member) -> MemberStatusChange | None:
    return member.status_changes.select_related("changed_by").first()


def member_open_invitations(member: Member) -> list[Invitation]:
    return list(
        member.invitations.filter(revoked_at__isnull=True, accepted_at__isnull=True)
        .select_related("invited_by")
        .order_by("-created_at")
    )


# --- Onboarding ----------------------------------------------------------------------------


@dataclass
class StepState:
    key: str
    label: str
    done: bool
    blocked: bool  # recorded, but with an outcome that stops the onboarding (e.g. not eligible)
    summary: str
    last_event: OnboardingEvent | None

    @property
    def url_name(self) -> str:
        return f"members:onboarding_{self.key}"


def onboarding_steps_for(member: Member) -> list[str]:
    Step = Onboarding.Step
    if member.is_local:
        return [Step.ELIGIBILITY, Step.LETTER, Step.PARTNERS, Step.CONTACTS, Step.ACTIVATION]
    return [Step.ELIGIBILITY, Step.VALUES, Step.LETTER, Step.CONTACTS, Step.ACTIVATION]


def onboarding_eligibility(onboarding: Onboarding) -> Eligibility:
    return eligibility_result(onboarding.scores)


def onboarding_checklist(onboarding: Onboarding) -> list[StepState]:
    """Each step of the member's checklist with whether it is done, in order."""
    member = onboarding.member
    last_events: dict[str, OnboardingEvent] = {}
    for event in onboarding.events.select_related("actor").order_by("created_at", "pk"):
        last_events[event.step] = event
    eligibility = onboarding_eligibility(onboarding)
    # Accepting an invitation grants the role, and removing the role later leaves the
    # invitation accepted: the role, not the invitation, says someone answers for the member.
    has_point_of_contact = member.roles.filter(role=MemberRole.Role.POINT_OF_CONTACT).exists()

    Step = Onboarding.Step
    states = []
    for key in onboarding_steps_for(member):
        event = last_events.get(key)
        blocked = False
        if key == Step.ELIGIBILITY:
            done = event is not None and eligibility.outcome == Outcome.ELIGIBLE
            blocked = event is not None and not done
        elif key == Step.VALUES:
            done = onboarding.values_passed is True
            blocked = onboarding.values_passed is False
        elif key == Step.LETTER:
            done = bool(onboarding.letter_date and onboarding.letter_file)
        elif key == Step.PARTNERS:
            done = member.organisations.exists()
        elif key == Step.CONTACTS:
            done = bool(member.lead_agency) and has_point_of_contact
        else:
            done = member.status != Member.Status.ONBOARDING
        states.append(
            StepState(
                key=key,
                label=Step(key).label,
                done=done,
                blocked=blocked,
                summary=event.summary if event else "",
                last_event=event,
            )
        )
    return states


def onboarding_current_step(steps: list[StepState]) -> StepState | None:
    """Where the onboarding is stuck: the first step not done."""
    return next((step for step in steps if not step.done), None)


def onboardings_in_progress() -> QuerySet[Onboarding]:
    return (
        Onboarding.objects.filter(completed_at__isnull=True)
        .select_related("member", "started_by")
        .order_by("started_at")
    )


def recent_status_changes(*, days: int = 90) -> QuerySet[MemberStatusChange]:
    since: datetime = timezone.now() - timedelta(days=days)
    return (
        MemberStatusChange.objects.filter(changed_at__gte=since)
        .exclude(from_status=Member.Status.ONBOARDING)
        .select_related("member", "changed_by")
    )


def members_to_review() -> QuerySet[Member]:
    return Member.objects.filter(
        status__in=[Member.Status.UNDER_REVIEW, Member.Status.SUSPENDED]
    ).order_by("status_changed_at")


# --- Organisations -------------------------------------------------------------------------


def organisation_directory(*, kind: str = "", query: str = "") -> QuerySet[Organisation]:
    organisations = Organisation.objects.annotate(
        people=Count(
            "memberships", filter=Q(memberships__status=OrganisationMembership.Status.APPROVED)
        )
    )
    if kind:
        organisations = organisations.filter(kind=kind)
    if query:
        organisations = organisations.filter(name__icontains=query)
    return organisations.order_by("name")


def organisation_people(organisation: Organisation) -> list[OrganisationMembership]:
    """The people who speak for the organisation, its administrators first, each marked
    `is_admin`: two queries."""
    admins = roles.holder_ids(policies.ADMINISTER_ORGANISATION, organisation)
    people = list(
        organisation.memberships.filter(status=OrganisationMembership.Status.APPROVED)
        .select_related("user")
        .order_by("user__display_name", "pk")
    )
    for membership in people:
        membership.is_admin = membership.user_id in admins
    return sorted(people, key=lambda membership: not membership.is_admin)


def organisation_pending_requests(organisation: Organisation) -> list[OrganisationMembership]:
    return list(
        organisation.memberships.filter(status=OrganisationMembership.Status.PENDING)
        .select_related("user")
        .order_by("requested_at")
    )


def membership_of(user, organisation: Organisation) -> OrganisationMembership | None:
    if not user.is_authenticated:
        return None
    return organisation.memberships.filter(user=user).first()


def organisation_latest_rename(organisation: Organisation) -> OrganisationRename | None:
    """The organisation's latest rename request (waiting, or how it was decided), with who
    asked and who decided."""
    return (
        organisation.renames.select_related("requested_by", "decided_by")
        .order_by("-requested_at", "-pk")
        .first()
    )


def pending_renames() -> QuerySet[OrganisationRename]:
    """Renames waiting for an OGP admin, the oldest first, with their organisation."""
    return (
        OrganisationRename.objects.filter(status=OrganisationRename.Status.PENDING)
        .select_related("organisation", "requested_by")
        .order_by("requested_at", "pk")
    )


# --- My work (ogp_platform/dashboard.py) ------------------------------------------------------

DRAFTING_ROLES = {MemberRole.Role.POINT_OF_CONTACT, MemberRole.Role.OFFICER}


def members_user_works_for(user) -> list[Member]:
    """The members whose plans the user drafts and whose inputs they answer (as point of
    contact or government officer), by name. Two queries at most, whatever the number."""
    member_ids = [
        member_id
        for member_id, roles in policies.member_roles_of(user).items()
        if roles & DRAFTING_ROLES
    ]
    if not member_ids:
        return []
    return list(Member.objects.filter(pk__in=member_ids).order_by("name"))


def organisations_administered_by(user) -> list[Organisation]:
    """The organisations the user is an administrator of, by name."""
    return list(policies.organisations_user_administers(user).order_by("name"))


def pending_requests_of(organisations, *, limit: int) -> tuple[list[OrganisationMembership], int]:
    """The requests to join the organisations that wait for a decision, those waiting longest
    first (at most `limit`, with their person and organisation), and how many there are."""
    pending = OrganisationMembership.objects.filter(
        organisation__in=organisations, status=OrganisationMembership.Status.PENDING
    )
    count = pending.count()
    if not count:
        return [], 0
    rows = pending.select_related("user", "organisation").order_by("requested_at", "pk")[:limit]
    return list(rows), count
