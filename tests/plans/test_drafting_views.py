"""Officers draft plans, commitments and milestones in the browser's forms; everyone else is
refused, and refused input loses nothing that was saved."""

import datetime

import pytest
from django.urls import reverse

from action_plans.models import ActionPlan
from commitments.models import Commitment, Milestone
from tests.members.factories import InstitutionFactory, MemberFactory, MemberRoleFactory
from tests.plans.factories import ActionPlanFactory, CommitmentFactory, MilestoneFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(user):
    return user


@pytest.fixture
def member(officer):
    member = MemberFactory(country="LV", country_alpha3="LVA", name="Latvia", slug="latvia")
    MemberRoleFactory(member=member, user=officer, role="officer")
    return member


def commitment_data(institution, **overrides):
    data = {
        "title": "Atvērt pašvaldību budžetus",
        "short_title": "Atvērti budžeti",
        "problem": "Budžeta dati nav salīdzināmi.",
        "status_quo": "Dati tiek publicēti PDF formātā.",
        "description": "Publicēt budžetus kā atvērtos datus.",
        "contribution": "Iedzīvotāji var salīdzināt izdevumus.",
        "values_relevance": "Piekļuve informācijai.",
        "values": ["access_to_information", "public_accountability"],
        "lead_institution": institution.pk,
        "start_date": "2025-09-01",
        "end_date": "2027-06-30",
        "status": "active",
    }
    data.update(overrides)
    return data


def test_officer_creates_a_plan_with_ogp_id(client, officer, member):
    """A draft gets the id AP_ + alpha-3 + two digits and a default deadline of 31 August."""
    client.force_login(officer)
    response = client.post(
        reverse("action_plans:create", args=[member.slug]),
        {"title": "Sestais rīcības plāns", "start_date": "2026-01-01", "end_date": "2027-12-31"},
    )
    plan = ActionPlan.objects.get()
    assert response.status_code == 302
    assert response["Location"] == plan.get_absolute_url()
    assert plan.identifier == "AP_LVA01"
    assert plan.submission_deadline == datetime.date(2026, 8, 31)
    page = client.get(plan.get_absolute_url())
    assert "Sestais rīcības plāns" in page.content.decode()


def test_plan_period_error_shows_next_to_the_end_date(client, officer, member):
    client.force_login(officer)
    response = client.post(
        reverse("action_plans:create", args=[member.slug]),
        {"title": "Too short", "start_date": "2026-01-01", "end_date": "2026-12-31"},
    )
    assert response.status_code == 200
    assert "20 to 24 months" in str(response.context["form"].errors["end_date"])
    assert not ActionPlan.objects.exists()


def test_commitment_dates_outside_the_plan_are_refused_and_then_fixed(client, officer, member):
    """The error names the field and the plan's period; fixing it saves the commitment."""
    plan = ActionPlanFactory(member=member)
    institution = InstitutionFactory(member=member)
    client.force_login(officer)
    url = reverse("commitments:create", args=[plan.identifier])
    response = client.post(url, commitment_data(institution, end_date="2030-01-01"))
    assert response.status_code == 200
    assert "end_date" in response.context["form"].errors
    assert "There is a problem" in response.content.decode()
    assert not Commitment.objects.exists()

    response = client.post(url, commitment_data(institution))
    commitment = Commitment.objects.get()
    assert commitment.identifier.startswith("LV")
    assert response["Location"] == f"{commitment.get_absolute_url()}#milestones"
    assert commitment.value_access_to_information and not commitment.value_civic_participation


def test_technology_alone_is_refused_on_the_values_field(client, officer, member):
    plan = ActionPlanFactory(member=member)
    institution = InstitutionFactory(member=member)
    client.force_login(officer)
    response = client.post(
        reverse("commitments:create", args=[plan.identifier]),
        commitment_data(institution, values=["technology_innovation"]),
    )
    assert "cannot stand alone" in str(response.context["form"].errors["values"])


def test_a_draft_commitment_saves_with_only_a_title(client, officer, member):
    plan = ActionPlanFactory(member=member)
    client.force_login(officer)
    response = client.post(
        reverse("commitments:create", args=[plan.identifier]),
        {"title": "Open procurement", "status": "active"},
    )
    assert response.status_code == 302
    page = client.get(plan.get_absolute_url()).content.decode()
    assert "needs:" in page  # the checklist lists what is missing


def test_edit_keeps_the_saved_version_when_refused(client, officer, member):
    commitment = CommitmentFactory(plan=ActionPlanFactory(member=member))
    client.force_login(officer)
    data = commitment_data(commitment.lead_institution, title="Changed", end_date="2020-01-01")
    response = client.post(reverse("commitments:edit", args=[commitment.identifier]), data)
    assert response.status_code == 200
    commitment.refresh_from_db()
    assert commitment.title != "Changed"


def test_milestones_are_added_reordered_and_removed(client, officer, member):
    commitment = CommitmentFactory(plan=ActionPlanFactory(member=member))
    client.force_login(officer)
    for title in ("First", "Second"):
        client.post(
            reverse("commitments:milestone_create", args=[commitment.identifier]),
            {"title": title, "start_date": "2025-10-01", "end_date": "2026-01-31"},
        )
    first, second = Milestone.objects.order_by("position")
    client.post(
        reverse("commitments:milestone_move", args=[commitment.identifier, second.pk]),
        {"direction": "up"},
    )
    assert list(commitment.milestones.values_list("title", flat=True)) == ["Second", "First"]
    client.post(reverse("commitments:milestone_delete", args=[commitment.identifier, first.pk]))
    assert list(commitment.milestones.values_list("title", flat=True)) == ["Second"]


def test_milestone_outside_the_commitment_period_is_refused(client, officer, member):
    commitment = CommitmentFactory(plan=ActionPlanFactory(member=member))
    client.force_login(officer)
    response = client.post(
        reverse("commitments:milestone_create", args=[commitment.identifier]),
        {"title": "Late", "start_date": "2027-07-01", "end_date": "2027-08-01"},
    )
    assert "commitment's period" in response.context["form"].errors["start_date"][0]
    assert not Milestone.objects.exists()


def test_commitments_reorder_on_the_plan(client, officer, member):
    plan = ActionPlanFactory(member=member)
    a, b = CommitmentFactory(plan=plan), CommitmentFactory(plan=plan)
    client.force_login(officer)
    response = client.post(
        reverse("commitments:move", args=[b.identifier]),
        {"direction": "up", "next": plan.get_absolute_url()},
    )
    assert response["Location"] == plan.get_absolute_url()
    assert list(plan.commitments.order_by("position")) == [b, a]


def test_open_cocreation_then_submit_refused_with_the_checklist(client, officer, member):
    plan = ActionPlanFactory(member=member)
    CommitmentFactory(plan=plan)  # no milestone yet
    client.force_login(officer)
    url = reverse("action_plans:transition", args=[plan.identifier, "open_cocreation"])
    assert client.post(url).status_code == 302
    plan.refresh_from_db()
    assert plan.status == "cocreation" and plan.is_public

    response = client.post(reverse("action_plans:transition", args=[plan.identifier, "submit"]))
    assert response.status_code == 400
    assert "at least one milestone" in response.content.decode()
    plan.refresh_from_db()
    assert plan.status == "cocreation"


def test_submit_then_editing_is_refused_until_an_admin_reopens(
    client, officer, member, django_user_model
):
    from django.contrib.auth.models import Group

    plan = ActionPlanFactory(member=member, status="cocreation", published=True)
    commitment = CommitmentFactory(plan=plan)
    MilestoneFactory(commitment=commitment)
    client.force_login(officer)
    client.post(reverse("action_plans:transition", args=[plan.identifier, "submit"]))
    plan.refresh_from_db()
    assert plan.status == "submitted"
    assert client.get(reverse("commitments:edit", args=[commitment.identifier])).status_code == 403
    assert (
        client.get(reverse("action_plans:transition", args=[plan.identifier, "reopen"])).status_code
        == 403
    )

    admin = django_user_model.objects.create_user(email="admin@example.org", password="x")
    Group.objects.get(name="OGP admins").user_set.add(admin)
    client.force_login(admin)
    url = reverse("action_plans:transition", args=[plan.identifier, "reopen"])
    response = client.post(url, {"reason": ""})
    assert "reason" in response.context["form"].errors
    client.post(url, {"reason": "The forum asked for a fourth commitment."})
    plan.refresh_from_db()
    assert plan.status == "cocreation"
    client.force_login(officer)
    assert client.get(reverse("commitments:edit", args=[commitment.identifier])).status_code == 200
    page = client.get(plan.get_absolute_url()).content.decode()
    assert "The forum asked for a fourth commitment." in page
