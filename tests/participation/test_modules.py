"""Participation's contract with modules other than plans, held on a module that exists only in
the tests (tests/pilot/): a challenge owned by a national member, a city and a partner
organisation, answered by people named on it who are nobody's officers, with feedback always
open, proposals people vote on, and nouns of its own. Everything goes through participation's
own pages and services, as a pilot module's people would use them."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.urls import reverse
from django.utils import timezone

from ogp_platform.accounts.data_export import user_data
from ogp_platform.members.models import Member
from participation import interface, links, selectors
from participation.models import Comment, Follow, Input, Vote
from participation.selectors import content_type_of
from participation.services import consultations as consultation_services
from participation.services.comments import comment_post
from participation.services.register import input_respond
from participation.services.votes import follow
from tests.factories import UserFactory
from tests.members.factories import (
    LocalMemberFactory,
    MemberFactory,
    MemberRoleFactory,
    OrganisationFactory,
)
from tests.people import ANONYMOUS, OFFICER, ORG_ADMIN, OTHER_OFFICER, USER
from tests.pilot.models import Challenge, Proposal

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.pilot.urls")]


@pytest.fixture
def world(people):
    lead = MemberFactory(country="IT")
    city = LocalMemberFactory(parent=lead, name="Reggio Emilia")
    partner = OrganisationFactory(name="Lepida")
    challenge = Challenge.objects.create(title="Cleaner air", lead=lead, city=city, partner=partner)
    proposal = Proposal.objects.create(challenge=challenge, title="Sensors on buses")
    responder = UserFactory(display_name="Rita Responder")
    challenge.responders.add(responder)
    owners = people.of(member=city, organisation=partner)
    return {
        "lead": lead,
        "city": city,
        "partner": partner,
        "challenge": challenge,
        "proposal": proposal,
        "responder": responder,
        "city_officer": owners[OFFICER],
        "partner_admin": owners[ORG_ADMIN],
        "participant": people[USER],
    }


def page(client, obj) -> str:
    return client.get(interface.url_of(obj)).content.decode()


# --- The registry ------------------------------------------------------------------------------


def test_a_module_registers_its_models_with_slugs_and_adapters(world):
    """The slug names the model in participation's URLs; the adapter is found by model or
    object; a challenge is a space, a proposal a target governed by its challenge."""
    challenge, proposal = world["challenge"], world["proposal"]
    assert interface.slug_for(Challenge) == "challenge"
    assert interface.registration_for_slug("proposal").model is Proposal
    assert interface.is_space(challenge) and not interface.is_space(proposal)
    assert interface.space_of(proposal) == challenge
    assert interface.primary_member_of(proposal) == world["lead"]
    assert interface.owner_members_of(proposal) == [world["lead"], world["city"]]
    assert interface.nouns_of(proposal).items == "proposals"
    assert links.discussion_url(proposal) == f"/comments/proposal/{proposal.pk}/"
    assert links.register_url(challenge) == f"/register/challenge/{challenge.pk}/"


def test_registration_refuses_what_would_break_urls_or_lookups():
    """Only adapters built on the base classes, and slugs that are URL-safe, start with a
    letter and are not taken by another model."""

    class Probed:  # duck-typed, as adapters were before the base classes
        def title(self, obj):
            return ""

    with pytest.raises(ImproperlyConfigured):
        interface.register(Member, Probed(), slug="member")
    for slug in ("12", "Member", "mem ber", "mem/ber"):
        with pytest.raises(ImproperlyConfigured):
            interface.register(Member, interface.TargetAdapter(), slug=slug)
    with pytest.raises(ImproperlyConfigured):
        interface.register(Member, interface.TargetAdapter(), slug="plan")
    assert not interface.is_participable(Member)


def test_the_base_classes_give_every_optional_answer_a_default(world):
    """A target adapter must name the space; everything else has a default. A space adapter
    must name its primary member; its owners, responders, consultations, children, nouns and
    breadcrumbs default from it."""
    challenge = world["challenge"]
    target = interface.TargetAdapter()
    with pytest.raises(NotImplementedError):
        target.space(challenge)
    assert target.title(challenge) == "Cleaner air"
    assert target.votable(challenge) is False
    assert target.comments_on_own_page is True
    every = Challenge.objects.all()
    assert list(target.readable(AnonymousUser(), every)) == [challenge]
    assert target.may_read(AnonymousUser(), challenge) is True

    space = interface.SpaceAdapter()
    with pytest.raises(NotImplementedError):
        space.primary_member(challenge)

    class Minimal(interface.SpaceAdapter):
        def primary_member(self, challenge):
            return challenge.lead

    minimal = Minimal()
    assert minimal.space(challenge) == challenge
    assert minimal.owners(challenge) == [world["lead"]]
    assert minimal.consultation_required(challenge) is True
    assert minimal.accepts_consultation(challenge) is True
    assert list(minimal.children(challenge)) == []
    assert minimal.nouns == interface.DEFAULT_NOUNS
    assert minimal.consultation_rule(challenge) == minimal.register_rule(challenge) == ""
    lead_officer = MemberRoleFactory(member=world["lead"]).user
    assert minimal.may_respond(lead_officer, challenge)
    assert not minimal.may_respond(world["city_officer"], challenge)  # the city owns nothing here
    assert minimal.official_member(lead_officer, challenge) == world["lead"]
    registered = interface.space_adapter(challenge)  # gives a URL: the model has none
    assert registered.breadcrumbs(challenge)[-2:] == [
        (world["lead"].localised_name, world["lead"].get_absolute_url()),
        ("Challenge: Cleaner air", f"/pilot/challenges/{challenge.pk}/"),
    ]


# --- Always-open feedback ----------------------------------------------------------------------


def test_people_comment_without_a_consultation_and_the_register_takes_it(client, world):
    """No consultation was ever held: a verified participant comments on the challenge from
    its page, the comment is filed under the challenge and its lead member, and it enters the
    register as a pending input."""
    challenge = world["challenge"]
    client.force_login(world["participant"])
    assert "Comments are open at any time here" in page(client, challenge)
    response = client.post(
        links.comment_post_url(challenge),
        {"body": "Measure near schools first.", "next": interface.url_of(challenge)},
    )
    assert response.status_code == 302
    comment = Comment.objects.get(body="Measure near schools first.")
    assert comment.consultation is None
    assert (comment.space, comment.member) == (challenge, world["lead"])
    item = Input.objects.get(comment=comment)
    assert (item.space, item.member, item.disposition) == (challenge, world["lead"], "pending")
    assert "Measure near schools first." in page(client, challenge)


def test_a_comment_is_edited_and_replied_to_without_a_consultation(client, world):
    challenge = world["challenge"]
    comment = comment_post(actor=world["participant"], target=challenge, body="First words.")
    client.force_login(world["participant"])
    edit = reverse("participation:comment_edit", args=[comment.pk])
    assert client.post(edit, {"body": "Better words."}).status_code == 302
    comment.refresh_from_db()
    assert comment.body == "Better words." and comment.edited_at is not None
    client.force_login(world["responder"])
    reply = reverse("participation:comment_reply", args=[comment.pk])
    assert client.post(reply, {"body": "Thank you."}).status_code == 302
    assert Comment.objects.get(parent=comment).body == "Thank you."


def test_a_consultation_held_beside_the_open_feedback_frames_a_round(world):
    """Consultations may still be held on the space: a comment written while one is open
    belongs to it; once it closes, people go on commenting outside any consultation."""
    challenge = world["challenge"]
    consultation = consultation_services.consultation_create(
        actor=world["responder"],
        space=challenge,
        title="Which streets?",
        rules="Be kind.",
        questions="Where is the air worst?",
        opens_at=timezone.now(),
        closes_at=timezone.now() + datetime.timedelta(days=7),
    )
    assert consultation.member == world["lead"]
    consultation_services.consultation_open(actor=world["responder"], consultation=consultation)
    during = comment_post(actor=world["participant"], target=challenge, body="Via Emilia.")
    assert during.consultation == consultation
    consultation_services.consultation_close(actor=world["responder"], consultation=consultation)
    after = comment_post(actor=world["participant"], target=challenge, body="And the ring road.")
    assert after.consultation is None


def test_people_vote_on_proposals_without_a_consultation(client, world):
    proposal = world["proposal"]
    client.force_login(world["participant"])
    url = reverse("participation:vote_cast", args=links.args_of(proposal))
    assert url == f"/votes/proposal/{proposal.pk}/cast/"
    client.post(url, {"value": "support", "next": interface.url_of(proposal)})
    assert Vote.objects.filter(target_id=proposal.pk, value=1).count() == 1
    html = page(client, proposal)
    assert "You support this." in html


# --- Owners and responders ---------------------------------------------------------------------


def test_responders_are_the_owners_officers_and_admins_and_the_people_named(world, people):
    """Officers of either owning member, administrators of the partner organisation, and the
    challenge's own responders respond; a participant and an officer of another member do
    not."""
    challenge = world["challenge"]
    adapter = interface.space_adapter(challenge)
    for who in ("responder", "city_officer", "partner_admin"):
        assert adapter.may_respond(world[who], challenge), who
    for user in (world["participant"], people[OTHER_OFFICER], people[ANONYMOUS]):
        assert not adapter.may_respond(user, challenge)


def test_responders_do_not_vote_and_are_told_for_whom_they_respond(client, world):
    """In the challenge's nouns: the city's officer responds as an officer of the city; the
    challenge's own responder, for all its owners."""
    proposal = world["proposal"]
    url = reverse("participation:vote_cast", args=links.args_of(proposal))
    client.force_login(world["city_officer"])
    client.post(url, {"value": "support"})
    assert (
        "You respond to what people say about this challenge as an officer of Reggio Emilia, "
        "so you do not support or oppose its proposals." in page(client, proposal)
    )
    client.force_login(world["responder"])
    client.post(url, {"value": "support"})
    assert (
        "You respond to what people say about this challenge for Italy, Reggio Emilia, "
        "Lepida, so you do not support or oppose its proposals." in page(client, proposal)
    )
    assert not Vote.objects.exists()


def test_an_officer_of_a_co_owner_writes_with_their_own_members_mark(world):
    """The official mark names the owning member the author is an officer of (the city, not
    the lead); a responder who is nobody's officer writes without one."""
    challenge = world["challenge"]
    by_officer = comment_post(actor=world["city_officer"], target=challenge, body="We agree.")
    assert by_officer.official_member == world["city"]
    by_responder = comment_post(actor=world["responder"], target=challenge, body="Noted.")
    assert by_responder.official_member is None


def test_a_responder_who_is_nobodys_officer_answers_the_register(
    client, world, django_capture_on_commit_callbacks
):
    """The challenge's responder opens the register, records an input received elsewhere, and
    gives a comment its reasoned response, taken into a proposal; the author is emailed in the
    challenge's nouns. A participant may not open the register."""
    challenge, proposal = world["challenge"], world["proposal"]
    comment = comment_post(actor=world["participant"], target=proposal, body="Add noise too.")
    item = Input.objects.get(comment=comment)
    client.force_login(world["participant"])
    assert client.get(links.register_url(challenge)).status_code == 403

    client.force_login(world["responder"])
    register = client.get(links.register_url(challenge)).content.decode()
    assert "Register of inputs" in register and "Add noise too." in register
    recorded = client.post(
        links.record_url(challenge),
        {
            "source": "meeting",
            "received_on": "2026-01-05",
            "text": "Residents asked for data on noise.",
            "organisation_kind": "individual",
        },
    )
    assert recorded.status_code == 302
    assert Input.objects.filter(space_id=challenge.pk, source="meeting").count() == 1

    respond = reverse("participation:register_respond", args=[item.pk])
    form = client.get(respond).content.decode()
    assert "the proposal it went into" in form
    assert f'<option value="proposal:{proposal.pk}">' in form
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            respond,
            {
                "disposition": "accepted",
                "reason": "Noise sensors added.",
                "taken_into": f"proposal:{proposal.pk}",
            },
        )
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.taken_into, item.responded_by) == (proposal, world["responder"])
    (email,) = [m for m in mail.outbox if m.to == [world["participant"].email]]
    assert "See how every input on the challenge was considered:" in email.body
    assert "Taken into: Sensors on buses" in email.body
    assert links.report_url(challenge) in email.body


def test_the_register_refuses_what_the_challenge_does_not_hold(world):
    """Taken into: only a proposal of this challenge, said in its nouns."""
    other = Proposal.objects.create(
        challenge=Challenge.objects.create(
            title="Other", lead=world["lead"], city=world["city"], partner=world["partner"]
        ),
        title="Elsewhere",
    )
    comment = comment_post(actor=world["participant"], target=world["challenge"], body="Hi.")
    with pytest.raises(ValidationError) as refused:
        input_respond(
            actor=world["responder"],
            input=Input.objects.get(comment=comment),
            disposition="accepted",
            reason="Yes.",
            taken_into=other,
        )
    assert refused.value.message_dict["taken_into"] == [
        "Choose one of the proposals of this challenge."
    ]


def test_the_pages_speak_of_challenges_and_proposals(client, world):
    challenge = world["challenge"]
    html = page(client, challenge)
    assert "Comments on this challenge are open at any time" in html
    assert "Every comment on the challenge and every input received outside" in html
    report = client.get(links.report_url(challenge)).content.decode()
    assert "Every comment on the challenge and every input received outside" in report


# --- Reading -----------------------------------------------------------------------------------


def test_readable_and_may_read_agree_for_everyone(world):
    """For each adapter and each person, the queryset answer and the one-object answer are the
    same, on public and private challenges alike."""
    private = Challenge.objects.create(
        title="Private",
        lead=world["lead"],
        city=world["city"],
        partner=world["partner"],
        public=False,
    )
    Proposal.objects.create(challenge=private, title="Hidden")
    people = [AnonymousUser(), world["participant"], world["responder"], world["city_officer"]]
    for model in (Challenge, Proposal):
        adapter = interface.adapter_for(model)
        for user in people:
            readable = set(adapter.readable(user, model.objects.all()))
            for obj in model.objects.all():
                assert adapter.may_read(user, obj) == (obj in readable), (model, user, obj)
    assert not interface.adapter_for(Challenge).may_read(world["participant"], private)
    assert interface.adapter_for(Challenge).may_read(world["city_officer"], private)


def test_lists_hold_only_what_the_user_may_read(client, world):
    """What someone follows, the replies to them and the responses they got leave their lists
    (and counts) once the challenge is made private, decided in the database."""
    challenge, proposal, participant = world["challenge"], world["proposal"], world["participant"]
    follow(actor=participant, target=proposal)
    comment = comment_post(actor=participant, target=proposal, body="Watch the buses.")
    comment_post(actor=world["responder"], target=proposal, body="We do.", parent=comment)
    assert [row["target"] for row in selectors.follows_of(participant)] == [proposal]
    assert selectors.replies_to(participant, limit=5)[1] == 1
    assert selectors.inputs_of(participant, limit=5)[1] == 1

    Challenge.objects.filter(pk=challenge.pk).update(public=False)
    assert selectors.follows_of(participant) == []
    assert selectors.follow_rows(participant, limit=5) == ([], 0)
    assert selectors.replies_to(participant, limit=5) == ([], 0)
    assert selectors.inputs_of(participant, limit=5) == ([], 0)
    assert Follow.objects.filter(user=participant).exists()  # kept, not shown
    # The responder still reads the challenge, and what they follow there.
    follow(actor=world["responder"], target=proposal)
    assert [row["target"] for row in selectors.follows_of(world["responder"])] == [proposal]
    # Participation's pages about it are not found by the participant.
    client.force_login(participant)
    assert client.get(links.discussion_url(proposal)).status_code == 404


def test_the_settings_page_lists_follows_with_slug_addresses(client, world):
    proposal = world["proposal"]
    follow(actor=world["participant"], target=proposal)
    client.force_login(world["participant"])
    html = client.get(reverse("participation:notifications_settings")).content.decode()
    assert f'href="/pilot/proposals/{proposal.pk}/"' in html
    assert f'action="/follows/proposal/{proposal.pk}/unfollow/"' in html


# --- Addresses and the page cache --------------------------------------------------------------


def test_old_content_type_addresses_of_any_model_move_to_the_slug(client, world):
    proposal = world["proposal"]
    old = f"/comments/{content_type_of(proposal).pk}/{proposal.pk}/"
    response = client.get(old)
    assert response.status_code == 301
    assert response["Location"] == f"/comments/proposal/{proposal.pk}/"


def test_the_cached_report_shows_a_new_input_at_once(client, world):
    """The public report of a challenge is cached for visitors under its primary member; a
    comment written on a proposal (always open) shows in it at the next visit."""
    challenge = world["challenge"]
    report = links.report_url(challenge)
    assert "Lights at crossings." not in client.get(report).content.decode()
    comment_post(actor=world["participant"], target=world["proposal"], body="Lights at crossings.")
    assert "Lights at crossings." in client.get(report).content.decode()


def test_a_participants_data_export_holds_what_they_said_outside_any_consultation(world):
    """The export names what each comment was about through the module's adapter, and a
    comment written in always-open feedback has no consultation."""
    proposal = world["proposal"]
    comment_post(actor=world["participant"], target=proposal, body="Count the cyclists.")
    (comment,) = user_data(world["participant"])["comments"]
    assert comment["consultation"] is None
    assert comment["about"]["title"] == "Sensors on buses"
    assert comment["about"]["url"].endswith(f"/pilot/proposals/{proposal.pk}/")
    response = comment["response"]
    report = f"/register/challenge/{proposal.challenge_id}/report/"
    assert response["url"].endswith(f"{report}#input-{response['input_number']}")
