"""`input_submit`: a written submission someone who may read a space enters in its register in
the name of an organisation or body (a module's service checks who speaks for it), answered
like any input."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from participation.models import Input
from participation.services.register import input_respond, input_submit
from tests.factories import UserFactory
from tests.members.factories import MemberFactory, MemberRoleFactory, OrganisationFactory
from tests.pilot.models import Challenge

pytestmark = pytest.mark.django_db


def challenge(**fields):
    values = {
        "title": "Open budgets",
        "lead": MemberFactory(),
        "city": MemberFactory(),
        "partner": OrganisationFactory(),
    }
    values.update(fields)
    return Challenge.objects.create(**values)


def test_a_reader_submits_a_pending_written_input_in_the_name_of_a_body():
    space = challenge()
    person = UserFactory(display_name="Ada Rossi")

    item = input_submit(
        actor=person, space=space, text="  Publish the budget monthly. ", organisation_name="City"
    )

    assert item.space == space
    assert item.member == space.lead
    assert item.source == Input.Source.WRITTEN
    assert item.text == "Publish the budget monthly."
    assert item.organisation_name == "City"
    assert item.organisation_kind == Input.OrganisationKind.PUBLIC
    assert item.author_name == "Ada Rossi"
    assert item.recorded_by == person
    assert item.received_on == timezone.localdate()
    assert item.disposition == Input.Disposition.PENDING
    # Answered like any input, by those who respond on the space.
    officer = MemberRoleFactory(member=space.lead, role="officer").user
    input_respond(actor=officer, input=item, disposition="accepted", reason="Agreed.")
    item.refresh_from_db()
    assert item.reason == "Agreed."


def test_only_those_who_may_read_the_space_submit():
    hidden = challenge(public=False)
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied):
        input_submit(actor=UserFactory(), space=hidden, text="x", organisation_name="City")
    with pytest.raises(PermissionDenied):
        input_submit(actor=AnonymousUser(), space=challenge(), text="x", organisation_name="C")
    assert not Input.objects.exists()


def test_the_text_is_required_and_the_kind_known():
    space = challenge()
    with pytest.raises(ValidationError) as error:
        input_submit(
            actor=UserFactory(),
            space=space,
            text="  ",
            organisation_name="City",
            organisation_kind="nobody",
        )
    assert set(error.value.message_dict) == {"text", "organisation_kind"}


def test_the_register_belongs_to_a_space():
    space = challenge()
    proposal = space.proposals.create(title="A proposal")
    with pytest.raises(ValueError):
        input_submit(actor=UserFactory(), space=proposal, text="x", organisation_name="City")
