"""Reads of members, organisations and onboardings, already filtered to what the user may see
and with what the pages show fetched in a constant number of queries."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from . import policies
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
)


def member_directory(
    *, user, kind: str = "", region: str = "", status: str = "", query: str = ""
) -> QuerySet[Member]:
    """The public directory: filtered, searched, with what each entry shows."""
    members = policies.members_visible_to(user).exclude(status=Member.Status.ONBOARDING)
    if kind:
        members = members.filter(kind=kind)
    if region:
        members = members.filter(region=region)
    if status:
        members = members.filter(status=status)
    if query:
        members = members.filter(Q(name__icontains=query) | Q(parent__name__icontains=query))
    # Counted through the reverse relation: members know nothing of the plans app.
    published_plans = Count("action_plans", filter=Q(action_plans__published_at__isnull=False))
    return (
        members.select_related("parent")
        .annotate(published_plan_count=published_plans)
        .order_by("name")
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
    open_or_accepted_contacts = (
        member.invitations.filter(
            role=MemberRole.Role.POINT_OF_CONTACT, revoked_at__isnull=True
        ).exists()
        or member.roles.filter(role=MemberRole.Role.POINT_OF_CONTACT).exists()
    )

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
            done = bool(member.lead_agency) and open_or_accepted_contacts
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
    return list(
        organisation.memberships.filter(status=OrganisationMembership.Status.APPROVED)
        .select_related("user")
        .order_by("role", "user__display_name")
    )


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
