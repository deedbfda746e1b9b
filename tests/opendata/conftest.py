"""A small world for the exports: Latvia (a plan in implementation and an older one), Madrid
(local), Mexico (the Americas) and a draft plan of Canada that only its team sees."""

import datetime
from decimal import Decimal

import pytest

from commitments.models import PolicyArea
from tests.members.factories import (
    InstitutionFactory,
    LocalMemberFactory,
    MemberFactory,
    OrganisationFactory,
)
from tests.plans.factories import ActionPlanFactory, CommitmentFactory, MilestoneFactory

LATVIAN_TITLE = "Atvērtie dati pašvaldībās: ķēdes, ūdens, ģimenes, žurnāli, čeki (€)"


def published_plan(member, **fields):
    return ActionPlanFactory(
        member=member, published=True, **{"status": "implementation", **fields}
    )


def commitment(plan, title, **fields):
    """A commitment whose search document is its id, title and description, as the services
    keep it."""
    made = CommitmentFactory(plan=plan, title=title, **fields)
    made.search_document = f"{made.identifier}\n{made.title}\n{made.description}"
    made.save(update_fields=["search_document"])
    return made


@pytest.fixture
def world(db):
    latvia = MemberFactory(country="LV", country_alpha3="LVA", name="Latvia", slug="latvia")
    madrid = LocalMemberFactory(local_code="MAD", name="Madrid", slug="madrid")
    mexico = MemberFactory(
        country="MX", country_alpha3="MEX", name="Mexico", slug="mexico", region="americas"
    )
    canada = MemberFactory(country="CA", country_alpha3="CAN", name="Canada", slug="canada")
    areas = {area.slug: area for area in PolicyArea.objects.all()}

    lv_plan = published_plan(latvia, sequence=5, title="Piektais atvērtās pārvaldības plāns")
    lv_old = published_plan(
        latvia,
        sequence=4,
        start_date=datetime.date(2021, 9, 1),
        end_date=datetime.date(2023, 8, 31),
        submission_deadline=datetime.date(2021, 8, 31),
        status="ended",
    )
    mad_plan = published_plan(madrid, sequence=1)
    mx_plan = published_plan(mexico, sequence=1)
    draft = ActionPlanFactory(member=canada, sequence=1)

    lead = InstitutionFactory(member=latvia, name="Valsts kanceleja")
    made = {
        "latvian": commitment(
            lv_plan,
            LATVIAN_TITLE,
            lead_institution=lead,
            completion="substantial",
            budget=Decimal("125000.50"),
            budget_currency="EUR",
            problem="Līgumi tiek publicēti novēloti.\nOtrā rindkopa.",
        ),
        "budgets": commitment(
            lv_old,
            "Open municipal budgets for every resident",
            value_access_to_information=False,
            value_public_accountability=False,
            value_civic_participation=True,
            completion="complete",
        ),
        "madrid": commitment(
            mad_plan,
            "Participatory budgeting in every district",
            value_access_to_information=False,
            value_civic_participation=True,
            status="inactive",
        ),
        "mexico": commitment(
            mx_plan,
            "Beneficial ownership register open to the public",
            value_technology_innovation=True,
            status="withdrawn",
            completion="withdrawn",
        ),
        "draft": commitment(draft, "Secret draft about lobbying transparency"),
    }
    made["latvian"].policy_areas.set([areas["open-data"], areas["public-procurement"]])
    made["latvian"].supporting_institutions.set(
        [
            InstitutionFactory(
                member=latvia, name="Vides aizsardzības un reģionālās attīstības ministrija"
            ),
            InstitutionFactory(member=latvia, name="Finanšu ministrija"),
        ]
    )
    made["latvian"].partner_organisations.set(
        [OrganisationFactory(name="Sabiedrība par atklātību – Delna")]
    )
    made["budgets"].policy_areas.set([areas["fiscal-openness"]])
    made["mexico"].policy_areas.set([areas["beneficial-ownership"], areas["open-data"]])
    MilestoneFactory(commitment=made["latvian"], position=1, title="Pirmais: līgumu reģistrs")
    MilestoneFactory(
        commitment=made["latvian"],
        position=2,
        title="Otrais: atvērtie dati",
        completion="complete",
        responsible_institution=lead,
    )
    return {
        "members": {"latvia": latvia, "madrid": madrid, "mexico": mexico, "canada": canada},
        "plans": {"latvia": lv_plan, "latvia_old": lv_old, "draft": draft},
        **made,
    }
