"""Journeys 3 and 4 (participation), in Chromium against a live server.

Journey 3: a new person signs up, confirms their email from the message they receive, asks to
join a CSO (one of its administrators approves, in a browser of their own), comments on a
commitment speaking for the CSO, replies to another comment, supports the commitment and
reports an abusive comment.

Journey 4: the officer opens the plan's register, answers every pending input with a
disposition and a reason (the form refuses a response without a reason, and keeps what was
chosen), submits the plan, and the person who commented reads the response in the public
report, reached from the email that told them of it.

The core steps (comment, vote, respond) also work with JavaScript disabled.
"""

import datetime
import re
from types import SimpleNamespace

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from action_plans.models import ActionPlan
from ogp_platform.members.models import MemberRole
from participation.links import args_of
from participation.models import Comment, Input, Report, Vote
from participation.services.comments import comment_post
from participation.services.consultations import consultation_create, consultation_open
from participation.services.register import input_record
from tests.browser.conftest import PHONE, sign_in
from tests.factories import DEFAULT_PASSWORD, UserFactory
from tests.members.factories import (
    MemberFactory,
    OrganisationFactory,
    OrganisationMembershipFactory,
)
from tests.plans.factories import ActionPlanFactory, CommitmentFactory, MilestoneFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

DELNA = "Sabiedrība par atklātību – Delna"
KARLIS_SAYS = "Reģistram jābūt pieejamam arī kā atvērtajiem datiem, ne tikai meklētājā."
ABUSE = "Visi ierēdņi ir zagļi un meļi, šī apspriešana ir farss."


@pytest.fixture
def world():
    """Latvia's plan in co-creation, ready for submission but for its register, with two
    commitments and an open consultation; Delna (a CSO) with an administrator; on the first
    commitment, a comment by Kārlis and an abusive one."""
    latvia = MemberFactory(country="LV", country_alpha3="LVA", name="Latvia", slug="latvia")
    officer = UserFactory(display_name="Līga Bērziņa")
    MemberRole.objects.create(member=latvia, user=officer, role=MemberRole.Role.POINT_OF_CONTACT)
    plan = ActionPlanFactory(
        member=latvia,
        status=ActionPlan.Status.COCREATION,
        published=True,
        created_by=officer,
        title="Latvijas atvērtās pārvaldības rīcības plāns",
        submission_deadline=timezone.localdate() + datetime.timedelta(days=60),
    )
    lobbying = CommitmentFactory(
        plan=plan,
        title="Lobēšanas atklātības reģistrs",
        short_title="Lobēšanas reģistrs",
    )
    budgeting = CommitmentFactory(
        plan=plan,
        title="Līdzdalības budžets visās pašvaldībās",
        short_title="Līdzdalības budžets",
    )
    for commitment in (lobbying, budgeting):
        MilestoneFactory(commitment=commitment)
    now = timezone.now()
    consultation = consultation_create(
        actor=officer,
        space=plan,
        title="Sabiedriskā apspriešana par rīcības plāna projektu",
        rules="Piedalīties var ikviens ar apstiprinātu e-pasta adresi.",
        questions="Ko vēl vajadzētu iekļaut plānā?",
        opens_at=now,
        closes_at=now + datetime.timedelta(weeks=3),
    )
    consultation_open(actor=officer, consultation=consultation)
    delna = OrganisationFactory(name=DELNA, slug="delna", kind="cso", country="LV")
    delna_admin = OrganisationMembershipFactory(
        organisation=delna,
        user=UserFactory(display_name="Inese Kalniņa"),
        admin=True,
    ).user
    karlis = UserFactory(display_name="Kārlis Vītols")
    troll = UserFactory(display_name="Raimonds Ozols")
    return SimpleNamespace(
        plan=plan,
        lobbying=lobbying,
        budgeting=budgeting,
        officer=officer,
        delna=delna,
        delna_admin=delna_admin,
        karlis=karlis,
        karlis_comment=comment_post(actor=karlis, target=lobbying, body=KARLIS_SAYS),
        abusive=comment_post(actor=troll, target=lobbying, body=ABUSE),
    )


def comment_block(page, comment):
    """The comment itself (its article), without the replies under it."""
    return page.locator(f"#comment-{comment.pk} > article")


def post_comment(page, text, *, speak_for=None):
    form = page.locator("form", has=page.get_by_role("button", name="Post the comment"))
    form.get_by_label("Your comment").fill(text)
    if speak_for:
        form.get_by_label("Speak for").select_option(label=speak_for)
    form.get_by_role("button", name="Post the comment").click()


def register_url(plan) -> str:
    return reverse("participation:register", args=args_of(plan))


# --- Journey 3 ---------------------------------------------------------------------------------


def test_a_new_person_joins_a_cso_and_takes_part(new_context, world, screenshot):
    page = new_context().new_page()
    page.goto("/accounts/signup/")
    page.get_by_label("Email").fill("ilze.liepina@example.lv")
    page.get_by_label("Display name").fill("Ilze Liepiņa")
    page.get_by_label(re.compile(r"^Password(?! \(again)")).fill("a-long-passphrase-1")
    page.get_by_label("Password (again)").fill("a-long-passphrase-1")
    page.get_by_role("button", name="Sign Up").click()

    # Not signed in until the address is confirmed (verification is mandatory).
    assert page.get_by_role("heading", name="Verify Your Email Address").is_visible()
    page.goto(world.lobbying.get_absolute_url())
    assert page.get_by_role("link", name="Sign in to take part").is_visible()

    # The confirmation link from the email signs the new person in.
    (confirmation,) = [m for m in mail.outbox if m.to == ["ilze.liepina@example.lv"]]
    link = re.search(r"https?://[^/\s]+(/accounts/confirm-email/\S+)", confirmation.body)
    page.goto(link.group(1))
    page.get_by_role("button", name="Confirm").click()

    # Ask to speak for Delna.
    page.goto(f"/organisations/{world.delna.slug}/")
    page.get_by_role("button", name="Ask to join").click()
    assert page.get_by_text("Your request is waiting for approval").is_visible()

    # One of Delna's administrators approves, in a browser of their own.
    admin = new_context().new_page()
    sign_in(admin, world.delna_admin.email, DEFAULT_PASSWORD)
    admin.goto(f"/organisations/{world.delna.slug}/")
    admin.get_by_role("button", name="Approve Ilze Liepiņa").click()
    assert admin.get_by_role("heading", name="Requests to join").is_visible()
    assert admin.get_by_text("No request waiting.").is_visible()

    # A comment on the commitment, speaking for Delna.
    page.goto(world.lobbying.get_absolute_url())
    post_comment(
        page,
        "Delna iesaka publicēt tikšanās ar lobētājiem **5 darba dienu laikā**.",
        speak_for=DELNA,
    )
    assert page.get_by_text("Your comment has been posted.").is_visible()
    mine = Comment.objects.get(author__email="ilze.liepina@example.lv", parent=None)
    block = comment_block(page, mine)
    assert block.get_by_text(f"for {DELNA}").is_visible()
    assert block.locator("strong", has_text="5 darba dienu laikā").is_visible()

    # A reply to Kārlis.
    kārlis = comment_block(page, world.karlis_comment)
    kārlis.get_by_text("Reply to Kārlis Vītols").click()
    kārlis.get_by_label("Your reply").fill("Piekrītu: mašīnlasāmi dati ir būtiski.")
    kārlis.get_by_role("button", name="Post the reply").click()
    assert page.get_by_text("Your reply has been posted.").is_visible()
    reply = Comment.objects.get(parent=world.karlis_comment)
    assert reply.organisation is None
    assert page.locator(f"#comment-{world.karlis_comment.pk} #comment-{reply.pk}").is_visible()

    # Support for the commitment.
    page.get_by_role("button", name="Support", exact=True).click()
    # The confirmation is in the vote box the page comes back to.
    votes = page.locator("#votes")
    assert votes.get_by_text("You support this. You can change or withdraw your vote.").is_visible()
    support = page.get_by_role("button", name="Support", exact=True)
    assert support.get_attribute("aria-pressed") == "true"

    # A report on the abusive comment.
    comment_block(page, world.abusive).get_by_role("link", name="Report this comment").click()
    page.get_by_label("Abuse").check()
    page.get_by_label("Note for the moderators").fill("Aizskarošs vispārinājums.")
    page.get_by_role("button", name="Report the comment").click()
    assert page.get_by_text("Thank you. The moderators will look at the comment").is_visible()
    assert comment_block(page, world.abusive).get_by_text("Reported").is_visible()

    user = mine.author
    assert Vote.objects.get(user=user).value == Vote.Value.SUPPORT
    assert Report.objects.get(reporter=user).comment == world.abusive
    assert mine.input.organisation_kind == Input.OrganisationKind.CSO
    screenshot(page, "commitment-comments-en-desktop")

    phone = new_context(PHONE).new_page()
    phone.goto(world.lobbying.get_absolute_url())
    assert phone.get_by_text(f"for {DELNA}").is_visible()
    screenshot(phone, "commitment-comments-en-phone")


# --- Journey 4 ---------------------------------------------------------------------------------


@pytest.fixture
def register(world):
    """Four inputs wait for a response: Kārlis's comment and the abusive one (from `world`),
    Ilze's comment for Delna on the same commitment, and a written submission the officer
    recorded."""
    ilze = UserFactory(display_name="Ilze Liepiņa")
    OrganisationMembershipFactory(organisation=world.delna, user=ilze)
    ilze_input = comment_post(
        actor=ilze,
        target=world.lobbying,
        body="Delna iesaka publicēt tikšanās ar lobētājiem piecu darba dienu laikā.",
        organisation=world.delna,
    ).input
    written = input_record(
        actor=world.officer,
        space=world.plan,
        source=Input.Source.WRITTEN,
        text="PROVIDUS iesaka jauniešu padomes visās valstspilsētās.",
        received_on=timezone.localdate() - datetime.timedelta(days=10),
        organisation_name="Sabiedriskās politikas centrs PROVIDUS",
        organisation_kind=Input.OrganisationKind.CSO,
    )
    return SimpleNamespace(
        ilze=ilze,
        ilze_input=ilze_input,
        karlis=world.karlis_comment.input,
        abusive=world.abusive.input,
        written=written,
    )


def respond(page, item, disposition, reason, *, taken_into=None):
    page.get_by_role("link", name=f"Respond to input no. {item.pk}", exact=True).click()
    page.get_by_label(disposition, exact=True).check()
    if taken_into:
        page.get_by_label("Taken into").select_option(label=taken_into)
    page.get_by_label("Reason").fill(reason)
    page.get_by_role("button", name="Save the response").click()


def test_the_officer_answers_every_input_and_submits_the_plan(
    new_context, world, register, screenshot
):
    page = new_context().new_page()
    sign_in(page, world.officer.email, DEFAULT_PASSWORD)
    page.goto(world.plan.get_absolute_url())
    page.get_by_role("link", name="4 inputs are waiting for your response").click()
    assert page.get_by_text("4 inputs are waiting for a response.").is_visible()
    screenshot(page, "register-en-desktop")

    # No reason: the form says so, and keeps the disposition chosen.
    page.get_by_role("link", name=f"Respond to input no. {register.karlis.pk}").click()
    page.get_by_label("Not accepted", exact=True).check()
    page.get_by_role("button", name="Save the response").click()
    alert = page.get_by_role("alert")
    assert alert.get_by_text("There is a problem").is_visible()
    assert alert.get_by_text("Give the reason for this response").is_visible()
    assert page.get_by_label("Not accepted", exact=True).is_checked()
    page.get_by_label("Reason").fill(
        "Pašvaldību atklātība būs nākamā plāna tēma; šajā plānā to neiekļaujam."
    )
    page.get_by_role("button", name="Save the response").click()
    # Answered from the "pending" filter, the input has left it: confirmed at the top.
    assert page.get_by_text(
        re.compile(
            rf"The response to input no\. {register.karlis.pk} \(“.+”\) is saved: Not "
            r"accepted\. It no longer shows under these filters\."
        )
    ).is_visible()

    respond(
        page,
        register.ilze_input,
        "Partially accepted",
        "Publicēšanas termiņš piecas darba dienas ir iekļauts apņemšanā.",
        taken_into=f"{world.lobbying.identifier} {world.lobbying.title}",
    )
    respond(
        page,
        register.abusive,
        "Out of scope",
        "Komentārs neattiecas uz plāna saturu.",
    )
    respond(
        page,
        register.written,
        "Accepted",
        "Jauniešu padomes iekļautas līdzdalības budžeta apņemšanā.",
        taken_into=f"{world.budgeting.identifier} {world.budgeting.title}",
    )
    assert page.get_by_text("Every input has a response.").is_visible()

    # Nothing blocks the submission any more.
    page.goto(world.plan.get_absolute_url())
    page.get_by_role("link", name="Submit to OGP").click()
    assert page.get_by_text("Every input has a reasoned response.").is_visible()
    page.get_by_role("button", name="Submit to OGP").click()
    assert page.get_by_text("The plan has been submitted to OGP.").is_visible()
    world.plan.refresh_from_db()
    assert world.plan.status == ActionPlan.Status.SUBMITTED

    phone = new_context(PHONE).new_page()
    sign_in(phone, world.officer.email, DEFAULT_PASSWORD)
    phone.goto(register_url(world.plan))
    assert phone.get_by_text("Every input has a response.").is_visible()
    screenshot(phone, "register-en-phone")

    # Ilze was told by email, and reads the response in the public report.
    (email,) = [m for m in mail.outbox if m.to == [register.ilze.email]]
    assert [m for m in mail.outbox if m.to == [world.karlis.email]]
    assert "has received a response" in email.subject
    assert "Partially accepted" in email.body
    assert "Publicēšanas termiņš piecas darba dienas" in email.body
    link = re.search(r"https?://[^/\s]+(/register/\S+)", email.body).group(1)
    reader = new_context().new_page()
    reader.goto(link)
    item = reader.locator(f"#input-{register.ilze_input.pk}")
    assert item.get_by_text("Partially accepted").is_visible()
    assert item.get_by_text("Publicēšanas termiņš piecas darba dienas").is_visible()
    taken_into = item.locator("p", has_text="Taken into:")
    assert taken_into.get_by_role("link", name=world.lobbying.identifier).is_visible()
    assert reader.get_by_role("heading", name="How input was considered").is_visible()
    screenshot(reader, "register-report-en-desktop")
    reader_phone = new_context(PHONE).new_page()
    reader_phone.goto(link)
    screenshot(reader_phone, "register-report-en-phone")


# --- Without JavaScript ------------------------------------------------------------------------


def test_commenting_voting_and_responding_work_without_javascript(browser, live_server, world):
    ilze = UserFactory(display_name="Ilze Liepiņa")
    OrganisationMembershipFactory(organisation=world.delna, user=ilze)
    contexts = []

    def no_js():
        context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    try:
        page = no_js()
        sign_in(page, ilze.email, DEFAULT_PASSWORD)
        page.goto(world.lobbying.get_absolute_url())
        post_comment(page, "Bez JavaScript arī var komentēt.", speak_for=DELNA)
        assert page.get_by_text("Your comment has been posted.").is_visible()
        mine = Comment.objects.get(author=ilze)
        assert mine.organisation == world.delna
        assert comment_block(page, mine).get_by_text(f"for {DELNA}").is_visible()

        kārlis = comment_block(page, world.karlis_comment)
        kārlis.get_by_text("Reply to Kārlis Vītols").click()
        kārlis.get_by_label("Your reply").fill("Atbilde bez JavaScript.")
        kārlis.get_by_role("button", name="Post the reply").click()
        assert page.get_by_text("Your reply has been posted.").is_visible()

        page.get_by_role("button", name="Support", exact=True).click()
        assert page.get_by_text("You support this.", exact=True).is_visible()
        page.get_by_role("button", name="Oppose", exact=True).click()
        assert page.get_by_text("You oppose this.", exact=True).is_visible()
        assert Vote.objects.get(user=ilze).value == Vote.Value.OPPOSE

        officer = no_js()
        sign_in(officer, world.officer.email, DEFAULT_PASSWORD)
        officer.goto(register_url(world.plan))
        respond(
            officer,
            mine.input,
            "Accepted",
            "Iekļauts apņemšanā.",
            taken_into=f"{world.lobbying.identifier} {world.lobbying.title}",
        )
        saved = re.compile(rf"The response to input no\. {mine.input.pk} \(“.+”\) is saved")
        assert officer.locator(f"#input-{mine.input.pk}").get_by_text(saved).is_visible()
        mine.input.refresh_from_db()
        assert mine.input.disposition == Input.Disposition.ACCEPTED
        assert mine.input.taken_into == world.lobbying
    finally:
        for context in contexts:
            context.close()


# --- The register's daily work (issue 13, point 10) ---------------------------------------------


def test_the_officer_answers_from_page_2_of_a_filter_and_stays_there(new_context, world):
    """The officer filters the register by source, goes to page 2, answers an input there, and
    comes back to page 2 of the same filter, at the input, where the confirmation names it.
    Each comment's input says what it was written on and links to it; the commitment page then
    shows the officer no vote control, but why."""
    milestone = world.lobbying.milestones.get()
    on_milestone = comment_post(
        actor=world.karlis, target=milestone, body="Starpposms jāpabeidz līdz gada beigām."
    ).input
    received = timezone.localdate() - datetime.timedelta(days=3)
    written = [
        input_record(
            actor=world.officer,
            space=world.plan,
            source=Input.Source.WRITTEN,
            text=f"Rakstisks priekšlikums nr. {n}.",
            received_on=received,
            organisation_name="",
            organisation_kind=Input.OrganisationKind.INDIVIDUAL,
        )
        for n in range(1, 56)
    ]
    item = written[51]  # the 52nd written input: on page 2 of the filter (50 a page)

    page = new_context().new_page()
    sign_in(page, world.officer.email, DEFAULT_PASSWORD)
    page.goto(register_url(world.plan))
    page.get_by_label("Source").select_option(label="Written submission")
    page.get_by_role("button", name="Apply filters").click()
    assert page.get_by_text("55 inputs match the filters").is_visible()
    page.get_by_role("link", name="Next page").click()
    assert page.get_by_text("Page 2 of 2").is_visible()
    filtered_page_2 = page.url

    page.get_by_role("link", name=f"Respond to input no. {item.pk}", exact=True).click()
    assert page.get_by_label("Reason (required)").is_visible()
    page.get_by_label("Not accepted", exact=True).check()
    page.get_by_label("Reason").fill("Šis jautājums jau ir citā plānā.")
    page.get_by_role("button", name="Save the response").click()

    assert page.url == f"{filtered_page_2}#input-{item.pk}"
    assert page.get_by_text("Page 2 of 2").is_visible()
    assert page.get_by_label("Source").input_value() == "written"
    confirmation = (
        f"The response to input no. {item.pk} (“Rakstisks priekšlikums nr. 52.”) is saved: "
        "Not accepted."
    )
    answered = page.locator(f"#input-{item.pk}")
    assert answered.get_by_role("status").get_by_text(confirmation).is_visible()
    assert answered.get_by_text("Not accepted").first.is_visible()
    item.refresh_from_db()
    assert item.disposition == Input.Disposition.NOT_ACCEPTED

    # What each comment was written on: a milestone, a commitment.
    page.goto(f"{register_url(world.plan)}?source=comment")
    on = page.locator(f"#input-{on_milestone.pk}")
    assert on.get_by_text("Milestone:").is_visible()
    assert on.get_by_role("link", name=milestone.title).is_visible()
    karlis = page.locator(f"#input-{world.karlis_comment.input.pk}")
    link = karlis.get_by_role("link", name=f"{world.lobbying.identifier} {world.lobbying.title}")
    link.click()
    assert page.get_by_role("heading", level=1, name=world.lobbying.title).is_visible()

    # The plan's own officer does not vote on its commitments.
    votes = page.locator("#votes")
    assert votes.get_by_text("as an officer of Latvia").is_visible()
    assert votes.get_by_role("button", name="Support", exact=True).count() == 0


# --- The comment box's length (issue 13, point 13) -----------------------------------------------


def test_the_comment_box_counts_what_is_left_and_cuts_nothing(page, world):
    """A long paste is kept whole; the count under the box says how much is left or over, and a
    polite live region speaks only when a threshold is crossed; the server refuses the text
    that is too long and gives it back."""
    sign_in(page, world.karlis.email, DEFAULT_PASSWORD)
    page.goto(world.budgeting.get_absolute_url())
    box = page.get_by_label("Your comment")
    count = page.locator("#comment-body-count")
    live = page.locator("#comment-body + .char-count + [aria-live=polite]")
    assert count.inner_text() == "Characters left: 5,000"
    assert "comment-body-count" in box.get_attribute("aria-describedby")
    assert live.inner_text() == ""

    box.fill("a" * 4600)
    assert count.inner_text() == "Characters left: 400"
    assert live.inner_text() == "Characters left: 400"
    box.press("End")
    box.press("b")
    assert count.inner_text() == "Characters left: 399"
    assert live.inner_text() == "Characters left: 400"  # not at every keystroke

    long = "Atklātība. " * 470  # 5,170 characters
    box.fill(long)
    assert box.input_value() == long  # no maxlength: nothing cut
    assert count.inner_text().startswith("Characters over the limit: 170.")
    assert "char-count--over" in count.get_attribute("class")
    assert live.inner_text().startswith("Characters over the limit: 170.")

    page.get_by_role("button", name="Post the comment").click()
    alert = page.get_by_role("alert")
    assert alert.get_by_text("A comment can be at most 5000 characters long").is_visible()
    assert page.get_by_label("Your comment").input_value() == long
    assert page.locator("#id_body-count").inner_text().startswith("Characters over the limit")
    assert not Comment.objects.filter(author=world.karlis, target_id=world.budgeting.pk).exists()
