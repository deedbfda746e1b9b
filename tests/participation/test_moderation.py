"""Moderation: reporting a comment (once per person), hiding it with a reason that stays on
record, restoring it, dismissing reports; the queue, the record, and the comment's history."""

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from participation.models import Comment, ModerationAction, Report
from participation.services.moderation import (
    comment_hide,
    comment_report,
    comment_reports_dismiss,
    comment_restore,
)
from tests.factories import UserFactory
from tests.participation.factories import CommentFactory, ConsultationFactory
from tests.plans.factories import ActionPlanFactory, CommitmentFactory, MilestoneFactory
from tests.queries import assert_queries_constant, get_ok

pytestmark = pytest.mark.django_db

XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


@pytest.fixture
def plan():
    return ActionPlanFactory(status="cocreation", published=True)


@pytest.fixture
def commitment(plan):
    return CommitmentFactory(plan=plan)


@pytest.fixture
def consultation(plan):
    return ConsultationFactory(space=plan)


@pytest.fixture
def comment(commitment, consultation):
    return CommentFactory(target=commitment, consultation=consultation)


@pytest.fixture
def moderator():
    user = UserFactory()
    Group.objects.get(name="Moderators").user_set.add(user)
    return user


# --- Reports ---------------------------------------------------------------------------------


def test_a_verified_person_reports_someone_elses_comment(comment):
    reporter = UserFactory()
    report = comment_report(actor=reporter, comment=comment, reason="spam", note="  Ads.  ")
    assert (report.reason, report.note, report.resolved_at) == ("spam", "Ads.", None)


def test_a_second_report_by_the_same_person_says_it_is_already_reported(comment):
    reporter = UserFactory()
    comment_report(actor=reporter, comment=comment, reason="spam")
    with pytest.raises(ValidationError, match="already reported"):
        comment_report(actor=reporter, comment=comment, reason="abuse")
    comment_report(actor=UserFactory(), comment=comment, reason="abuse")  # someone else may
    assert comment.reports.count() == 2


def test_reports_can_be_made_after_the_consultation_closed(comment, consultation):
    consultation.closed_at = timezone.now()
    consultation.save()
    comment_report(actor=UserFactory(), comment=comment, reason="personal_data")
    assert comment.reports.count() == 1


@pytest.mark.parametrize("who", ["author", "unverified", "anonymous", "deleted", "hidden"], ids=str)
def test_who_may_not_report(comment, who):
    actor = {
        "author": comment.author,
        "unverified": UserFactory(verified=False),
        "anonymous": AnonymousUser(),
    }.get(who, UserFactory())
    if who == "deleted":
        comment.deleted_at = timezone.now()
    if who == "hidden":
        comment.hidden_at = timezone.now()
    with pytest.raises(PermissionDenied):
        comment_report(actor=actor, comment=comment, reason="spam")


def test_a_report_needs_a_known_reason_and_a_short_note(comment):
    with pytest.raises(ValidationError) as excinfo:
        comment_report(actor=UserFactory(), comment=comment, reason="boring", note="x" * 1001)
    assert set(excinfo.value.message_dict) == {"reason", "note"}


# --- Hiding, restoring, dismissing -----------------------------------------------------------


def test_a_moderator_hides_a_comment_with_a_reason_and_its_reports_are_resolved(comment, moderator):
    comment_report(actor=UserFactory(), comment=comment, reason="abuse")
    comment_report(actor=UserFactory(), comment=comment, reason="spam")
    comment_hide(actor=moderator, comment=comment, reason="  Insults another participant.  ")
    comment.refresh_from_db()
    assert comment.is_hidden and comment.hidden_by == moderator
    assert comment.hidden_reason == "Insults another participant."
    assert comment.body == "Publish the contracts too."  # kept on record, not erased
    assert not comment.reports.filter(resolved_at__isnull=True).exists()
    assert set(comment.reports.values_list("resolved_by", flat=True)) == {moderator.pk}
    action = ModerationAction.objects.get()
    assert (action.action, action.moderator, action.reason) == (
        "hide",
        moderator,
        "Insults another participant.",
    )


def test_hiding_needs_a_reason(comment, moderator):
    with pytest.raises(ValidationError) as excinfo:
        comment_hide(actor=moderator, comment=comment, reason="   ")
    assert "reason" in excinfo.value.message_dict
    comment.refresh_from_db()
    assert not comment.is_hidden


def test_hiding_twice_restoring_a_visible_comment_or_hiding_a_deleted_one_is_refused(
    commitment, consultation, comment, moderator
):
    comment_hide(actor=moderator, comment=comment, reason="Spam.")
    with pytest.raises(ValidationError):
        comment_hide(actor=moderator, comment=comment, reason="Spam again.")
    visible = CommentFactory(target=commitment, consultation=consultation)
    with pytest.raises(ValidationError):
        comment_restore(actor=moderator, comment=visible, reason="Fine.")
    deleted = CommentFactory(
        target=commitment, consultation=consultation, deleted_at=timezone.now()
    )
    with pytest.raises(ValidationError):
        comment_hide(actor=moderator, comment=deleted, reason="Spam.")


def test_a_moderator_restores_a_hidden_comment_and_both_actions_stay_on_record(comment, moderator):
    comment_hide(actor=moderator, comment=comment, reason="Looked like spam.")
    other = UserFactory()
    Group.objects.get(name="Moderators").user_set.add(other)
    comment_restore(actor=other, comment=comment, reason="A real proposal, with a link.")
    comment.refresh_from_db()
    assert not comment.is_hidden and comment.hidden_by is None and comment.hidden_reason == ""
    assert list(
        ModerationAction.objects.order_by("pk").values_list("action", "moderator", "reason")
    ) == [
        ("hide", moderator.pk, "Looked like spam."),
        ("restore", other.pk, "A real proposal, with a link."),
    ]


def test_every_action_is_in_the_comments_history_with_the_moderator(comment, moderator):
    comment_hide(actor=moderator, comment=comment, reason="Personal data: a phone number.")
    comment_restore(actor=moderator, comment=comment, reason="The number was the ministry's.")
    versions = list(Comment.history.filter(id=comment.pk).order_by("history_id"))
    hidden, restored = versions[-2], versions[-1]
    assert hidden.history_user == moderator and hidden.hidden_reason.startswith("Personal data")
    assert hidden.history_change_reason == "Hidden by a moderator: Personal data: a phone number."
    assert restored.history_user == moderator and restored.hidden_at is None
    assert restored.history_change_reason.startswith("Restored by a moderator")


def test_a_long_reason_is_kept_whole_and_shortened_only_in_the_change_reason(comment, moderator):
    reason = "Breaks rule 3. " * 20
    comment_hide(actor=moderator, comment=comment, reason=reason)
    comment.refresh_from_db()
    assert comment.hidden_reason == reason.strip()
    version = Comment.history.filter(id=comment.pk).latest("history_id")
    assert len(version.history_change_reason) == 100


def test_dismissing_closes_the_open_reports_and_leaves_the_comment(comment, moderator):
    comment_report(actor=UserFactory(), comment=comment, reason="off_topic")
    assert comment_reports_dismiss(actor=moderator, comment=comment, reason="On topic.") == 1
    assert comment_reports_dismiss(actor=moderator, comment=comment) == 0
    comment.refresh_from_db()
    assert not comment.is_hidden
    assert list(ModerationAction.objects.values_list("action", "reason")) == [
        ("dismiss", "On topic.")
    ]


@pytest.mark.parametrize("service", [comment_hide, comment_restore, comment_reports_dismiss])
def test_only_moderators_act(comment, service):
    officer_of_this_member = UserFactory()
    admin = UserFactory()
    Group.objects.get(name="OGP admins").user_set.add(admin)
    for actor in (comment.author, officer_of_this_member, admin):
        with pytest.raises(PermissionDenied):
            service(actor=actor, comment=comment, reason="No.")
    assert not ModerationAction.objects.exists()


# --- Pages -----------------------------------------------------------------------------------


def report_some(comment, *reasons):
    for reason in reasons:
        Report.objects.create(comment=comment, reporter=UserFactory(), reason=reason)


def test_the_queue_lists_reported_comments_newest_report_first_with_reasons_and_counts(
    client, commitment, consultation, moderator
):
    older = CommentFactory(target=commitment, consultation=consultation, body="Buy cheap watches")
    newer = CommentFactory(target=commitment, consultation=consultation, body="You are all idiots")
    quiet = CommentFactory(target=commitment, consultation=consultation, body="A fine comment")
    report_some(older, "spam", "spam", "off_topic")
    report_some(newer, "abuse")
    resolved = CommentFactory(
        target=commitment, consultation=consultation, body="Reported, then dismissed"
    )
    report_some(resolved, "spam")
    comment_reports_dismiss(actor=moderator, comment=resolved)
    client.force_login(moderator)
    html = client.get(reverse("participation:moderation_queue")).content.decode()
    assert html.index("You are all idiots") < html.index("Buy cheap watches")
    assert "A fine comment" not in html
    assert "Spam × 2" in html and "Off-topic × 1" in html and "Abuse × 1" in html
    assert "3 open reports" in html and "1 open report" in html
    assert quiet.body not in html
    # The record of what moderators did shows on the queue page too.
    assert "Reports dismissed" in html and moderator.get_full_name() in html


def test_the_queue_shows_hide_and_restore_in_its_record(client, comment, moderator):
    comment_hide(actor=moderator, comment=comment, reason="Spam link.")
    comment_restore(actor=moderator, comment=comment, reason="It was a real source.")
    client.force_login(moderator)
    html = client.get(reverse("participation:moderation_queue")).content.decode()
    assert "Hidden" in html and "Spam link." in html
    assert "Restored" in html and "It was a real source." in html
    record = client.get(reverse("participation:moderation_record")).content.decode()
    assert "Spam link." in record and "It was a real source." in record


def test_the_queue_costs_the_same_queries_for_3_and_for_20_comments(
    client, plan, consultation, moderator
):
    commitment = CommitmentFactory(plan=plan)
    milestone = MilestoneFactory(commitment=commitment)

    def fill(count):
        for index in range(count):
            target = (plan, commitment, milestone)[index % 3]
            report_some(CommentFactory(target=target, consultation=consultation), "spam", "abuse")

    client.force_login(moderator)
    queue = reverse("participation:moderation_queue")
    assert_queries_constant(lambda _: get_ok(client, queue), lambda: fill(3), lambda: fill(17))


def test_the_queue_paginates(client, commitment, consultation, moderator):
    for _ in range(25):
        report_some(CommentFactory(target=commitment, consultation=consultation), "spam")
    client.force_login(moderator)
    first = client.get(reverse("participation:moderation_queue")).content.decode()
    assert "Page 1 of 2" in first
    second = client.get(reverse("participation:moderation_queue") + "?page=2")
    assert second.status_code == 200 and second.content.decode().count('class="entity ') == 5


def test_a_moderator_hides_through_the_comment_page_and_the_reason_is_required(
    client, comment, moderator
):
    client.force_login(moderator)
    url = reverse("participation:comment_hide", args=[comment.pk])
    response = client.post(url, {"hide-reason": ""})
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    response = client.post(url, {"hide-reason": "Advertising."})
    assert response.status_code == 302
    assert response["Location"] == reverse("participation:moderation_comment", args=[comment.pk])
    comment.refresh_from_db()
    assert comment.hidden_reason == "Advertising."
    page = client.get(response["Location"]).content.decode()
    assert "Restore the comment" in page and "Hidden by a moderator: Advertising." in page


def test_the_report_page_offers_the_reasons_and_refuses_a_second_report(client, comment):
    reporter = UserFactory()
    client.force_login(reporter)
    url = reverse("participation:comment_report", args=[comment.pk])
    html = client.get(url).content.decode()
    for value in ("spam", "abuse", "off_topic", "personal_data"):
        assert f'type="radio" name="reason" value="{value}"' in html
    response = client.post(url, {"reason": "abuse", "note": "Name-calling."})
    assert response.status_code == 302
    assert response["Location"].endswith(f"#comment-{comment.pk}")
    again = client.get(url).content.decode()
    assert "It is already reported" in again and 'name="reason"' not in again
    client.post(url, {"reason": "spam"})
    assert list(Report.objects.values_list("reason", flat=True)) == ["abuse"]


def test_the_report_page_shows_its_form_errors(client, comment):
    client.force_login(UserFactory())
    response = client.post(reverse("participation:comment_report", args=[comment.pk]), {})
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert not Report.objects.exists()


def test_user_text_is_escaped_on_the_moderation_pages(client, commitment, consultation, moderator):
    comment = CommentFactory(target=commitment, consultation=consultation)
    Report.objects.create(comment=comment, reporter=UserFactory(), reason="spam", note=XSS)
    client.force_login(moderator)
    for url in (
        reverse("participation:moderation_queue"),
        reverse("participation:moderation_comment", args=[comment.pk]),
    ):
        html = client.get(url).content.decode()
        assert "<script>alert" not in html and "<img src=x" not in html
        assert "&lt;script&gt;" in html
    comment_hide(actor=moderator, comment=comment, reason=XSS)
    for url in (
        reverse("participation:moderation_record"),
        reverse("participation:moderation_comment", args=[comment.pk]),
    ):
        html = client.get(url).content.decode()
        assert "<script>alert" not in html and "<img src=x" not in html


def test_moderators_see_moderation_in_the_main_navigation(client, moderator):
    link = f'href="{reverse("participation:moderation_queue")}"'
    client.force_login(UserFactory())
    assert link not in client.get("/").content.decode()
    client.force_login(moderator)
    assert link in client.get("/").content.decode()
