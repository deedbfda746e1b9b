"""Large exports stream: the response is a StreamingHttpResponse written row by row, and the
number of queries does not grow with the number of rows (even past one chunk of the cursor)."""

import datetime
import json

import pytest
from django.contrib.contenttypes.models import ContentType
from django.http import StreamingHttpResponse
from django.urls import reverse

from action_plans.models import ActionPlan
from commitments.models import Commitment, Milestone, PolicyArea
from commitments.opendata import CHUNK_SIZE
from participation.models import Input
from tests.members.factories import InstitutionFactory, OrganisationFactory
from tests.opendata.helpers import body
from tests.plans.factories import ActionPlanFactory, CommitmentFactory
from tests.queries import assert_queries_constant

pytestmark = pytest.mark.django_db

LARGE = 10_000


@pytest.fixture
def plan():
    """One published plan with one commitment made by the factory; more are bulk-created."""
    plan = ActionPlanFactory(published=True, status="implementation")
    CommitmentFactory(plan=plan)
    return plan


def add_commitments(plan: ActionPlan, count: int) -> list[Commitment]:
    """`count` more commitments, each with two policy areas, a supporting institution and a
    partner organisation, so every multi-valued column has something to read."""
    start = Commitment.objects.count() + 1
    lead = InstitutionFactory(member=plan.member)
    made = Commitment.objects.bulk_create(
        [
            Commitment(
                plan=plan,
                number=start + n,
                identifier=f"Z{start + n:07d}",
                position=start + n,
                title=f"Bulk commitment {start + n}: publicēt datus",
                value_access_to_information=True,
                lead_institution=lead,
                start_date=datetime.date(2025, 9, 1),
                end_date=datetime.date(2027, 6, 30),
                search_document=f"Z{start + n:07d} bulk",
            )
            for n in range(count)
        ],
        batch_size=2000,
    )
    areas = list(PolicyArea.objects.order_by("position")[:2])
    organisation = OrganisationFactory()
    through = Commitment.policy_areas.through
    through.objects.bulk_create(
        [through(commitment=c, policyarea=area) for c in made for area in areas], batch_size=4000
    )
    supporting = Commitment.supporting_institutions.through
    supporting.objects.bulk_create(
        [supporting(commitment=c, institution=lead) for c in made], batch_size=4000
    )
    partners = Commitment.partner_organisations.through
    partners.objects.bulk_create(
        [partners(commitment=c, organisation=organisation) for c in made], batch_size=4000
    )
    return made


class Downloads(list):
    """A `page` for `assert_queries_constant`: download the URL, its whole body included (the
    streaming's queries are counted too), and keep the response and the body."""

    def __init__(self, client):
        super().__init__()
        self.client = client

    def __call__(self, url):
        response = self.client.get(url)
        self.append((response, body(response)))


def explorer_csv(plan):
    return reverse("commitments:explorer_download", args=["csv"])


def plan_csv(plan):
    return reverse("commitments:plan_commitments", args=[plan.identifier, "csv"])


def explorer_json(plan):
    return reverse("commitments:explorer_download", args=["json"])


@pytest.mark.parametrize("url", [explorer_csv, plan_csv])
def test_a_10000_row_csv_streams_in_as_many_queries_as_10_rows(client, plan, url):
    add_commitments(plan, 9)
    downloads = Downloads(client)

    def more():
        add_commitments(plan, LARGE - 10)
        return url(plan)

    count = assert_queries_constant(downloads, url(plan), more)
    (_, small), (response, large) = downloads
    assert small.decode("utf-8-sig").count("\r\n") == 11
    assert isinstance(response, StreamingHttpResponse)
    assert large.startswith(b"\xef\xbb\xbf")
    assert large.decode("utf-8-sig").count("\r\n") == LARGE + 1  # the header and 10,000 rows
    assert count <= 5


def test_a_10000_row_json_streams_in_as_many_queries_as_10_rows(client, plan):
    add_commitments(plan, 9)
    downloads = Downloads(client)

    def more():
        add_commitments(plan, LARGE - 10)
        return explorer_json(plan)

    assert_queries_constant(downloads, explorer_json(plan), more)
    response, data = downloads[1]
    assert isinstance(response, StreamingHttpResponse)
    # Written in several chunks, not one string built in memory.
    chunks = list(client.get(explorer_json(plan)).streaming_content)
    assert len(chunks) > 10
    assert len(json.loads(data)["commitments"]) == LARGE


def add_milestones(commitments: list[Commitment], each: int) -> None:
    Milestone.objects.bulk_create(
        [
            Milestone(commitment=c, position=p, title=f"Milestone {p} of {c.identifier}")
            for c in commitments
            for p in range(1, each + 1)
        ],
        batch_size=2000,
    )


@pytest.mark.parametrize(
    "url",
    [
        lambda plan: reverse("commitments:plan_milestones", args=[plan.identifier]),
        lambda plan: reverse("commitments:plan_commitments", args=[plan.identifier, "json"]),
    ],
)
def test_a_plans_milestones_stream_in_a_constant_number_of_queries(client, plan, url):
    add_milestones(add_commitments(plan, 5), 2)
    downloads = Downloads(client)

    def more():
        # Past one chunk of the cursor, for commitments and milestones alike.
        add_milestones(add_commitments(plan, CHUNK_SIZE + 100), 2)
        return url(plan)

    assert_queries_constant(downloads, url(plan), more)
    response, large = downloads[1]
    assert isinstance(response, StreamingHttpResponse)
    if url(plan).endswith(".csv"):
        assert large.decode("utf-8-sig").count("\r\n") == 1 + 2 * (CHUNK_SIZE + 105)


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_a_register_streams_in_a_constant_number_of_queries(client, plan, fmt):
    commitments = add_commitments(plan, 3)

    def add_inputs(count):
        Input.objects.bulk_create(
            [
                Input(
                    space_type=ContentType.objects.get_for_model(ActionPlan),
                    space_id=plan.pk,
                    member=plan.member,
                    source="written",
                    text=f"Input {n}",
                    received_on=datetime.date(2026, 1, 1),
                    disposition="accepted",
                    reason="Taken into a commitment.",
                    taken_into_type=ContentType.objects.get_for_model(Commitment),
                    taken_into_id=commitments[n % 3].pk,
                )
                for n in range(count)
            ],
            batch_size=2000,
        )

    url = reverse("commitments:plan_register", args=[plan.identifier, fmt])
    add_inputs(5)
    downloads = Downloads(client)

    def more():
        add_inputs(CHUNK_SIZE + 100)
        return url

    assert_queries_constant(downloads, url, more)
    response, data = downloads[1]
    assert isinstance(response, StreamingHttpResponse)
    assert data.count(b"/commitments/Z") == CHUNK_SIZE + 105
