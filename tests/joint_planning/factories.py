"""A joint plan to test with, built through the services: `plan_world(people)`."""

import datetime
from dataclasses import dataclass

from ogp_platform.members.models import Institution
from tests.factories import UserFactory
from tests.members.factories import InstitutionFactory, LocalMemberFactory, MemberRoleFactory
from tests.people import OFFICER
from use_cases.joint_planning.models import Action, Goal, JointPlan, Objective, PlanBody
from use_cases.joint_planning.services import actions as action_services
from use_cases.joint_planning.services import plans as plan_services


@dataclass
class PlanWorld:
    plan: JointPlan
    lead: PlanBody  # the national ministry (central)
    co_owner: PlanBody  # a national agency (central)
    city: PlanBody  # a city's department, of a local member (contributor)
    ministry_person: object  # an officer of `people.member`, who created the plan
    agency_person: object
    city_person: object  # an officer of the city's member
    goal: Goal
    objective: Objective
    actions: list[Action]  # two proposed: one by the city, one by the agency

    @property
    def bodies(self) -> list[PlanBody]:
        return [self.lead, self.co_owner, self.city]


def plan_world(people, *, name="Joint strategic plan 2025-2027", visibility="public") -> PlanWorld:
    """A plan led by a national ministry of `people.member`, with a co-owner agency of the same
    member and a city's department (of a local member) as contributor, each with one person
    acting for it; a goal, an objective, and two proposed actions."""
    ministry_person = people[OFFICER]
    # The member's institutions, the same in every plan it leads.
    ministry, _new = Institution.objects.get_or_create(
        member=people.member, name="Ministry of Economy"
    )
    agency, _new = Institution.objects.get_or_create(
        member=people.member, name="Digital Agency", defaults={"kind": Institution.Kind.AGENCY}
    )
    city_member = LocalMemberFactory()
    city_institution = InstitutionFactory(
        member=city_member, name="City Innovation Department", kind=Institution.Kind.DEPARTMENT
    )
    city_person = MemberRoleFactory(member=city_member, role="officer").user
    agency_person = UserFactory()

    plan = plan_services.plan_create(
        actor=ministry_person,
        name=name,
        description="Central and local bodies plan together.",
        lead=ministry,
        starts_on=datetime.date(2025, 1, 1),
        ends_on=datetime.date(2027, 12, 31),
        visibility=visibility,
    )
    lead = PlanBody.objects.get(plan=plan, role=PlanBody.Role.LEAD)
    co_owner = plan_services.body_add(
        actor=ministry_person, plan=plan, institution=agency, role=PlanBody.Role.CO_OWNER
    )
    city = plan_services.body_add(
        actor=ministry_person,
        plan=plan,
        institution=city_institution,
        role=PlanBody.Role.CONTRIBUTOR,
    )
    plan_services.body_person_add(actor=ministry_person, body=co_owner, user=agency_person)
    plan_services.body_person_add(actor=ministry_person, body=city, user=city_person)
    goal = plan_services.goal_create(
        actor=ministry_person, plan=plan, title="Digital public services", owner=lead
    )
    objective = plan_services.objective_create(
        actor=ministry_person, goal=goal, title="One identity for every service", owner=co_owner
    )
    actions = [
        action_services.action_propose(
            actor=city_person,
            objective=objective,
            proposed_by=city,
            title="Single sign-on for the city's services",
            description="Use the national identity on every city service.",
            expected_result="Every city service accepts the national identity.",
        ),
        action_services.action_propose(
            actor=agency_person,
            objective=objective,
            proposed_by=co_owner,
            title="Identity gateway for local bodies",
            expected_result="Local bodies connect through one gateway.",
        ),
    ]
    return PlanWorld(
        plan=plan,
        lead=lead,
        co_owner=co_owner,
        city=city,
        ministry_person=ministry_person,
        agency_person=agency_person,
        city_person=city_person,
        goal=goal,
        objective=objective,
        actions=actions,
    )
