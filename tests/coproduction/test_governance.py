"""The governance framework of a process: its default rules, when people are said to have taken
part, free changes before that and recorded amendments after, the weights of a weighted mix, the
public panel on the process page and the owners' page (with its permission matrix)."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from participation.models import Follow, Vote
from participation.services import comments as comment_services
from participation.services import register as register_services
from tests.coproduction.process_factories import (
    OBSERVER,
    OWNER,
    ROLES,
    TEAM_MEMBER,
    add_item,
    add_team,
    create_process,
    sign_in,
    world,
)
from tests.factories import UserFactory
from tests.people import ANONYMOUS, OGP_ADMIN, POINT_OF_CONTACT
from use_cases.coproduction.models import Governance, GovernanceAmendment, Team
from use_cases.coproduction.selectors.governance import participation_started
from use_cases.coproduction.services import governance as services
from use_cases.coproduction.services.governance import governance_default

pytestmark = pytest.mark.django_db

MANAGERS = {OWNER, OGP_ADMIN}


def rules(governance: Governance, **changes) -> dict:
    """The rules as they are now (read again: the services save another instance), changed."""
    governance = Governance.objects.get(pk=governance.pk)
    values = {name: getattr(governance, name) for name in services.RULE_FIELDS}
    return {**values, **changes}


@pytest.fixture
def process(people):
    """A fresh process: its owner team holds only its creator, nobody has taken part."""
    return create_process(people[POINT_OF_CONTACT], people.member)


@pytest.fixture
def owner(people):
    return people[POINT_OF_CONTACT]


def comment_on(target, author=None):
    return comment_services.comment_post(
        actor=author or UserFactory(), target=target, body="Count me in for the workshops."
    )


# --- The default framework -----------------------------------------------------------------


def test_a_new_process_starts_as_a_public_civil_partnership_decided_by_its_owners(process):
    """Everyone may take part, the owners decide, nothing is said yet on IP or the agreement;
    the framework's first version names the process's creator."""
    governance = process.governance
    assert governance.model == Governance.Model.PUBLIC_CIVIL_PARTNERSHIP
    assert governance.participants == list(Governance.Participant.values)
    assert governance.decision == Governance.Decision.OWNERS
    assert (governance.owners_weight, governance.jury_weight, governance.public_weight) == (0,) * 3
    assert governance.intellectual_property == governance.agreement == ""
    assert governance.history.get().history_user == process.created_by


def test_the_default_leaves_rules_already_there_as_they_are(process, owner):
    services.governance_update(
        actor=owner, process=process, **rules(process.governance, agreement="Signed in May.")
    )
    assert governance_default(process=process).agreement == "Signed in May."
    assert Governance.objects.filter(process=process).count() == 1


# --- When people have taken part -------------------------------------------------------------


def test_nobody_has_taken_part_in_a_new_process(process, owner):
    """The owners' own work (tree, teams of owners, empty teams, follows) is not taking part."""
    phase = add_item(owner, process, name="Engage")
    add_team(owner, process, Team.Role.OWNER, UserFactory(), name="City hall")
    add_team(owner, process, Team.Role.MEMBER, name="Residents, none yet")
    Follow.objects.create(
        target_type=ContentType.objects.get_for_model(process),
        target_id=process.pk,
        user=UserFactory(),
    )
    assert phase.pk and not participation_started(process)


def test_a_comment_on_the_process_or_on_a_task_is_taking_part(people, process, owner):
    objective = add_item(owner, process, add_item(owner, process, name="Engage"), name="Map")
    task = add_item(owner, process, objective, name="List the stakeholders")
    comment_on(task)
    assert participation_started(process)
    other = create_process(owner, people.member, name="Another process")
    comment_on(other)
    assert participation_started(other)


def test_a_comment_deleted_since_still_counts(process):
    comment = comment_on(process)
    comment_services.comment_delete(actor=comment.author, comment=comment)
    assert participation_started(process)


def test_an_input_recorded_from_outside_the_platform_is_taking_part(process, owner):
    register_services.input_record(
        actor=owner,
        space=process,
        source="meeting",
        text="Residents asked for evening workshops.",
        received_on=process.created_at.date(),
    )
    assert participation_started(process)


def test_a_vote_on_an_item_of_the_process_is_taking_part(process, owner):
    phase = add_item(owner, process, name="Engage")
    Vote.objects.create(
        target_type=ContentType.objects.get_for_model(phase),
        target_id=phase.pk,
        user=UserFactory(),
        value=Vote.Value.SUPPORT,
    )
    assert participation_started(process)


@pytest.mark.parametrize("role", [Team.Role.MEMBER, Team.Role.OBSERVER])
def test_someone_in_a_team_that_is_not_an_owner_team_is_taking_part(process, owner, role):
    add_team(owner, process, role, UserFactory(), name="Residents")
    assert participation_started(process)


# --- Changing the rules ----------------------------------------------------------------------


def test_before_anyone_takes_part_owners_change_the_rules_freely(process, owner):
    """No reason needed, no amendment: a version in the history, by the owner."""
    governance = services.governance_update(
        actor=owner,
        process=process,
        **rules(process.governance, model=Governance.Model.CITIZEN_SOURCING),
    )
    assert governance.model == Governance.Model.CITIZEN_SOURCING
    assert not GovernanceAmendment.objects.exists()
    latest = governance.history.first()
    assert latest.history_user == owner and latest.model == "citizen_sourcing"


def test_once_people_took_part_a_change_needs_a_reason(process, owner):
    comment_on(process)
    with pytest.raises(ValidationError) as refused:
        services.governance_update(
            actor=owner, process=process, **rules(process.governance, decision="jury")
        )
    assert "reason" in refused.value.error_dict
    process.governance.refresh_from_db()
    assert process.governance.decision == Governance.Decision.OWNERS


def test_an_amendment_records_each_changed_rule_before_and_after_with_its_reason(process, owner):
    comment_on(process)
    services.governance_update(
        actor=owner,
        process=process,
        reason="The residents asked for a say in the final choice.",
        **rules(
            process.governance,
            decision="weighted",
            owners_weight=50,
            jury_weight=0,
            public_weight=50,
            agreement="The city runs the service for three years.",
        ),
    )
    amendment = GovernanceAmendment.objects.get()
    assert amendment.amended_by == owner
    assert amendment.reason == "The residents asked for a say in the final choice."
    assert amendment.changes == {
        "decision": {"before": "owners", "after": "weighted"},
        "owners_weight": {"before": 0, "after": 50},
        "public_weight": {"before": 0, "after": 50},
        "agreement": {"before": "", "after": "The city runs the service for three years."},
    }


def test_saving_the_same_rules_writes_nothing(process, owner):
    comment_on(process)
    versions = process.governance.history.count()
    governance = services.governance_update(
        actor=owner, process=process, **rules(process.governance)
    )
    assert governance.changes == {}
    assert process.governance.history.count() == versions
    assert not GovernanceAmendment.objects.exists()


@pytest.mark.parametrize("role", [ANONYMOUS, OBSERVER, TEAM_MEMBER])
def test_only_owners_change_the_rules(people, role):
    w = world(people)
    with pytest.raises(PermissionDenied):
        services.governance_update(
            actor=w.person(people, role), process=w.process, **rules(w.process.governance)
        )


# --- Weights ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("weights", "field", "message"),
    [
        ((50, 30, 10), "public_weight", "add up to 90%: they must add up to 100%"),
        ((120, 0, 0), "owners_weight", "from 0 to 100"),
        ((None, 50, 50), "owners_weight", "Give this weight"),
    ],
)
def test_a_weighted_mix_needs_three_percentages_adding_up_to_100(
    process, owner, weights, field, message
):
    owners, jury, public = weights
    values = rules(
        process.governance,
        decision="weighted",
        owners_weight=owners,
        jury_weight=jury,
        public_weight=public,
    )
    with pytest.raises(ValidationError) as refused:
        services.governance_update(actor=owner, process=process, **values)
    assert message in " ".join(refused.value.message_dict[field])


def test_weights_are_left_aside_unless_decisions_are_a_weighted_mix(process, owner):
    governance = services.governance_update(
        actor=owner,
        process=process,
        **rules(process.governance, decision="jury", owners_weight=70, public_weight=45),
    )
    assert (governance.owners_weight, governance.jury_weight, governance.public_weight) == (0,) * 3


def test_at_least_one_kind_of_participant(process, owner):
    with pytest.raises(ValidationError) as refused:
        services.governance_update(
            actor=owner, process=process, **rules(process.governance, participants=[])
        )
    assert "participants" in refused.value.error_dict


# --- The owners' page ------------------------------------------------------------------------


def edit_url(process) -> str:
    return reverse("coproduction:governance_edit", args=[process.slug])


def posted(**changes) -> dict:
    data = {
        "model": "government_as_a_platform",
        "participants": ["public_sector", "citizens"],
        "decision": "owners",
        "owners_weight": "",
        "jury_weight": "",
        "public_weight": "",
        "intellectual_property": "Open licences for everything.",
        "agreement": "",
    }
    return {**data, **changes}


@pytest.mark.parametrize("role", ROLES)
def test_changing_the_rules_permissions(client, people, role):
    """Owners and OGP admins open the page and change the rules (here as an amendment: the
    process has a team member and an observer); anyone else is refused, anonymous visitors are
    sent to sign in."""
    w = world(people)
    sign_in(client, people, w, role)
    url = edit_url(w.process)
    page = client.get(url)
    response = client.post(url, posted(reason="A platform suits the city's open data."))
    w.process.governance.refresh_from_db()
    if role in MANAGERS:
        assert page.status_code == 200
        assert response.status_code == 302
        assert response["Location"] == f"{w.process.get_absolute_url()}#governance"
        assert w.process.governance.model == "government_as_a_platform"
        assert GovernanceAmendment.objects.get().reason == "A platform suits the city's open data."
    else:
        expected = 302 if role == ANONYMOUS else 403
        assert page.status_code == response.status_code == expected
        if role == ANONYMOUS:
            assert "/accounts/login/" in response["Location"]
        assert w.process.governance.model == Governance.Model.PUBLIC_CIVIL_PARTNERSHIP
        assert not GovernanceAmendment.objects.exists()


def test_the_rules_of_a_process_hidden_from_someone_are_not_found(client, people):
    w = world(people, visibility="team")
    client.force_login(UserFactory())
    assert client.get(edit_url(w.process)).status_code == 404


def test_a_refused_change_keeps_what_was_typed_and_says_what_to_fix(client, process, owner):
    client.force_login(owner)
    response = client.post(
        edit_url(process),
        posted(decision="weighted", owners_weight="50", jury_weight="30", public_weight="10"),
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert "The three weights add up to 90%: they must add up to 100%." in html
    assert 'value="30"' in html and "Open licences for everything." in html
    process.governance.refresh_from_db()
    assert process.governance.decision == Governance.Decision.OWNERS


def test_the_page_asks_for_a_reason_only_once_people_took_part(client, process, owner):
    client.force_login(owner)
    assert 'name="reason"' not in client.get(edit_url(process)).content.decode()
    response = client.post(edit_url(process), posted())
    assert response.status_code == 302
    comment_on(process)
    html = client.get(edit_url(process)).content.decode()
    assert 'name="reason"' in html and "recorded as an amendment" in html
    refused = client.post(edit_url(process), posted(model="citizen_to_citizen"))
    assert refused.status_code == 200
    assert "Say why the rules change" in refused.content.decode()


# --- The panel -------------------------------------------------------------------------------


def test_the_process_page_shows_the_rules_and_their_amendments_to_visitors(client, process, owner):
    services.governance_update(
        actor=owner,
        process=process,
        **rules(
            process.governance,
            decision="weighted",
            owners_weight=60,
            jury_weight=0,
            public_weight=40,
            intellectual_property="Results under CC BY 4.0.",
        ),
    )
    comment_on(process)
    services.governance_update(
        actor=owner,
        process=process,
        reason="Private nurseries asked to take part.",
        **rules(process.governance, participants=["public_sector", "citizens"]),
    )
    html = client.get(process.get_absolute_url()).content.decode()
    # The four models, each explained, the process's one marked.
    for label in ("Citizen sourcing", "Government as a platform", "Citizen to citizen"):
        assert label in html
    assert "design and deliver the service together" in html
    assert "this process" in html
    assert "A weighted mix" in html and "60&nbsp;%" in html and "40&nbsp;%" in html
    assert "Results under CC BY 4.0." in html
    assert "Private nurseries asked to take part." in html
    # Before and after, readable.
    assert "Public sector, Citizens" in html
    assert "Public sector, Private sector, Academia, Civil society, Citizens" in html
    assert "Change the rules" not in html


def test_owners_find_the_link_to_the_rules_page(client, process, owner):
    client.force_login(owner)
    html = client.get(process.get_absolute_url()).content.decode()
    assert edit_url(process) in html
