"""The page cache (ogp_platform/pagecache.py): visitors who are not signed in are served the key
public pages from the cache, and never a page older than the last change to what it shows."""

import datetime
import re

import pytest
from django.apps import apps
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.utils import timezone

from commitments import services as commitment_services
from commitments.models import PolicyArea
from ogp_platform import pagecache
from participation.models import Consultation
from participation.services import votes as vote_services
from participation.services.consultations import consultations_tick
from tests.factories import UserFactory
from tests.members.factories import MemberRoleFactory, OrganisationFactory
from tests.participation.test_comments import plan_in_consultation, post
from tests.plans.factories import CommitmentFactory, MilestoneFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def commitment():
    return CommitmentFactory(plan=plan_in_consultation(), title="Open contracting for all")


def get(client, url, **extra):
    response = client.get(url, **extra)
    assert response.status_code == 200
    return response


def primed(client, url) -> bytes:
    """The page, once rendered and once served from the cache (which must then be the same)."""
    first = get(client, url)
    second = get(client, url)
    assert first["X-Page-Cache"] == "miss"
    assert second["X-Page-Cache"] == "hit"
    assert strip_tokens(second.content) == strip_tokens(first.content)
    return second.content


def strip_tokens(content: bytes) -> bytes:
    return re.sub(rb'name="csrfmiddlewaretoken" value="[^"]*"', b"", content)


def test_a_second_visit_is_served_without_a_query(client, commitment, django_assert_num_queries):
    url = commitment.get_absolute_url()
    primed(client, url)
    with django_assert_num_queries(0):
        response = get(client, url)
    assert response["X-Page-Cache"] == "hit"
    assert b"Open contracting for all" in response.content


@pytest.mark.parametrize(
    "url",
    [
        lambda c: c.get_absolute_url(),
        lambda c: c.plan.get_absolute_url(),
        lambda c: c.plan.member.get_absolute_url(),
        lambda c: "/members/",
        lambda c: "/commitments/?q=contracting",
    ],
    ids=["commitment", "plan", "member", "directory", "explorer"],
)
def test_the_key_public_pages_are_cached(client, commitment, url):
    primed(client, url(commitment))


def test_each_visitor_gets_their_own_working_csrf_token(commitment):
    """The language switcher on a cached page carries the visitor's token, not the token of
    whoever the page was rendered for, and it is accepted."""
    url = commitment.get_absolute_url()
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    get(first, url)
    served = get(second, url)
    assert served["X-Page-Cache"] == "hit"
    assert pagecache.CSRF_PLACEHOLDER not in served.content
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', served.content)[1]
    response = second.post(
        "/i18n/setlang/", {"csrfmiddlewaretoken": token.decode(), "language": "it", "next": url}
    )
    assert response.status_code == 302
    assert second.cookies["django_language"].value == "it"


def test_signed_in_people_always_get_a_page_rendered_for_them(client, commitment):
    client.force_login(UserFactory())
    url = commitment.get_absolute_url()
    for _ in range(2):
        assert "X-Page-Cache" not in get(client, url)


def test_each_language_has_its_own_page(client, commitment):
    url = commitment.get_absolute_url()
    primed(client, url)
    client.cookies["django_language"] = "lv"
    response = get(client, url)
    assert response["X-Page-Cache"] == "miss"
    assert response["Content-Language"] == "lv"
    assert get(client, url)["X-Page-Cache"] == "hit"


def test_missing_and_unpublished_pages_are_not_cached(client):
    draft = CommitmentFactory(plan__status="draft", plan__published=False)
    for url in (draft.get_absolute_url(), "/commitments/XX9999/", "/plans/NOPE/"):
        for _ in range(2):
            response = client.get(url)
            assert response.status_code == 404
            assert "X-Page-Cache" not in response


def test_visitors_with_messages_waiting_get_a_fresh_page():
    request = RequestFactory().get("/members/")
    request.user = type("Anonymous", (), {"is_authenticated": False})()
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    assert pagecache._cacheable_request(request)
    request._messages.add(20, "You have signed out.")
    assert not pagecache._cacheable_request(request)


def test_an_unreachable_cache_serves_pages_rendered(client, commitment, monkeypatch):
    def unreachable(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(pagecache.cache, "get_many", unreachable)
    monkeypatch.setattr(pagecache.cache, "get", unreachable)
    monkeypatch.setattr(pagecache.cache, "incr", unreachable)
    response = get(client, commitment.get_absolute_url())
    assert "X-Page-Cache" not in response
    commitment.title = "Still saved"
    commitment.save()  # the invalidation fails quietly: the save does not
    assert b"Still saved" in get(client, commitment.get_absolute_url()).content


def test_a_change_committed_while_the_page_renders_is_never_served_stale(rf):
    """The generations are read before the data: a change that lands while the page is being
    rendered bumps them after, so the page rendered from the older data is not served again."""
    state = {"value": "old"}

    def view(request):
        seen = state["value"]
        state["value"] = "new"  # a write commits meanwhile…
        pagecache.changed("member:1")  # …and bumps its scope
        return HttpResponse(seen)

    cached = pagecache.cached_page(lambda request: ("member:1",))(view)

    def visit():
        request = rf.get("/somewhere/")
        request.user = type("Anonymous", (), {"is_authenticated": False})()
        request.session = SessionStore()
        request._messages = FallbackStorage(request)
        return cached(request)

    assert visit().content == b"old"
    assert visit().content == b"new"  # not the stored "old"


# --- Every change reaches the pages that show it ---------------------------------------------


def change_title(commitment):
    commitment.title = "Renamed commitment"
    commitment.save()
    return b"Renamed commitment"


def add_milestone(commitment):
    MilestoneFactory(commitment=commitment, title="A brand new milestone")
    return b"A brand new milestone"


def rename_plan(commitment):
    commitment.plan.title = "A renamed plan"
    commitment.plan.save()
    return b"A renamed plan"


def rename_member(commitment):
    member = commitment.plan.member
    member.name = "Renamed Republic"
    member.save()
    return b"Renamed Republic"


def comment(commitment):
    post(UserFactory(), commitment, "A comment that must show at once.")
    return b"A comment that must show at once."


def test_a_comment_shows_at_once(client, commitment):
    url = commitment.get_absolute_url()
    primed(client, url)
    expected = comment(commitment)
    response = get(client, url)
    assert response["X-Page-Cache"] == "miss"
    assert expected in response.content


def rendered_now(client, url, settings) -> bytes:
    """The page as rendering it now gives, bypassing the cache."""
    seconds, settings.PAGE_CACHE_SECONDS = settings.PAGE_CACHE_SECONDS, 0
    try:
        return strip_tokens(get(client, url).content)
    finally:
        settings.PAGE_CACHE_SECONDS = seconds


@pytest.mark.parametrize("change", [change_title, add_milestone, rename_plan, rename_member])
@pytest.mark.parametrize("page", ["commitment", "plan", "member", "explorer"])
def test_an_edit_shows_at_once_on_every_page_showing_it(client, commitment, change, page, settings):
    """After the change, each page is exactly what rendering it now gives."""
    url = {
        "commitment": commitment.get_absolute_url(),
        "plan": commitment.plan.get_absolute_url(),
        "member": commitment.plan.member.get_absolute_url(),
        "explorer": "/commitments/",
    }[page]
    primed(client, url)
    change(commitment)
    assert strip_tokens(get(client, url).content) == rendered_now(client, url, settings)


def test_a_new_name_shows_on_the_comments(client, commitment):
    author = UserFactory(display_name="Ada Before")
    post(author, commitment, "Who wrote this?")
    url = commitment.get_absolute_url()
    assert b"Ada Before" in primed(client, url)
    author.display_name = "Ada After"
    author.save()
    assert b"Ada After" in get(client, url).content


def test_signing_in_does_not_empty_the_cache(commitment):
    user = UserFactory()
    before = pagecache.generations([pagecache.EPOCH])
    user.last_login = timezone.now()
    user.save(update_fields=["last_login"])
    assert pagecache.generations([pagecache.EPOCH]) == before


def test_votes_and_comment_upvotes_show_at_once(client, commitment):
    """Casting a vote and up-voting a comment (written in bulk, past the model signals)."""
    url = commitment.get_absolute_url()
    remark = post(UserFactory(), commitment, "Upvote me.")
    before = primed(client, url)
    vote_services.vote_cast(actor=UserFactory(), target=commitment, value=1)
    after_vote = get(client, url)
    assert after_vote["X-Page-Cache"] == "miss"
    assert strip_tokens(after_vote.content) != strip_tokens(before)
    assert get(client, url)["X-Page-Cache"] == "hit"
    vote_services.comment_upvote_toggle(actor=UserFactory(), comment=remark, upvoted=True)
    assert get(client, url)["X-Page-Cache"] == "miss"


def test_a_hidden_comment_disappears_at_once(client, commitment):
    moderator = UserFactory()
    hidden = post(UserFactory(), commitment, "Something abusive here.")
    url = commitment.get_absolute_url()
    assert b"Something abusive here." in primed(client, url)
    hidden.hidden_at = timezone.now()
    hidden.hidden_by = moderator
    hidden.hidden_reason = "Abuse"
    hidden.save()
    assert b"Something abusive here." not in get(client, url).content


def test_reordering_commitments_shows_at_once(client, commitment):
    """The move is written in bulk, past the model signals."""
    second = CommitmentFactory(plan=commitment.plan, title="Second in line")
    officer = MemberRoleFactory(member=commitment.plan.member).user
    url = commitment.plan.get_absolute_url()
    before = primed(client, url)
    assert before.index(b"Open contracting for all") < before.index(b"Second in line")
    commitment.plan.status = "draft"
    commitment.plan.save()
    commitment_services.commitment_move(actor=officer, commitment=second, direction="up")
    commitment.plan.status = "cocreation"
    commitment.plan.save(update_fields=["status"])
    after = get(client, url).content
    assert after.index(b"Second in line") < after.index(b"Open contracting for all")


def test_a_consultation_closing_on_time_shows_at_once(client, commitment):
    """The tick closes consultations with a conditional UPDATE, past the model signals."""
    url = commitment.plan.get_absolute_url()
    before = primed(client, url)
    consultation = Consultation.objects.get(member=commitment.plan.member)
    Consultation.objects.filter(pk=consultation.pk).update(
        closes_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    assert consultations_tick() == (0, 1)
    after = get(client, url)
    assert after["X-Page-Cache"] == "miss"
    assert strip_tokens(after.content) != strip_tokens(before)


# --- Every model is accounted for ------------------------------------------------------------

# Models of the project whose change refreshes every cached page (not tied to one member, or
# rare enough that finer tracking is not worth it). A new model lands here, in a `track` call
# or in an `ignore` call of its app's page_scopes.py: the test makes it a decision.
REFRESH_EVERYTHING = {
    "members.organisation",
    "members.organisationmembership",
    "members.onboardingevent",
    "commitments.policyarea",
}


def project_models():
    from simple_history.models import HistoricalChanges

    return {
        model._meta.label_lower: model
        for model in apps.get_models()
        if pagecache._is_ours(model) and not issubclass(model, HistoricalChanges)
    }


def test_every_model_of_the_project_is_tracked_ignored_or_refreshes_everything():
    untracked = {
        label
        for label, model in project_models().items()
        if model not in pagecache._trackers and model not in pagecache._ignored
    }
    assert untracked == REFRESH_EVERYTHING


def test_an_untracked_model_refreshes_everything_and_an_ignored_one_nothing():
    assert pagecache.scopes_of(OrganisationFactory()) == (pagecache.EPOCH,)
    assert pagecache.scopes_of(PolicyArea.objects.first()) == (pagecache.EPOCH,)
    from participation.models import Notification

    assert pagecache.scopes_of(Notification()) == ()


def test_the_plan_list_kept_for_people_who_cannot_edit_follows_changes(client, commitment):
    """Signed-in people who cannot edit the plan share the HTML of its commitment list."""
    client.force_login(UserFactory())
    url = commitment.plan.get_absolute_url()
    assert b"Open contracting for all" in get(client, url).content
    commitment.title = "A title changed since"
    commitment.save()
    html = get(client, url).content
    assert b"A title changed since" in html
    assert b"Open contracting for all" not in html


def test_officers_get_their_own_list_with_its_controls(client, commitment):
    CommitmentFactory(plan=commitment.plan)
    commitment.plan.status = "draft"
    commitment.plan.save()
    client.force_login(UserFactory())
    get(client, commitment.plan.get_absolute_url())  # may fill the shared list
    client.force_login(MemberRoleFactory(member=commitment.plan.member).user)
    assert (
        b'name="direction" value="down"' in get(client, commitment.plan.get_absolute_url()).content
    )


def test_the_commitment_parts_kept_for_people_who_cannot_change_it_follow_changes(
    client, commitment
):
    """Signed-in people who may not edit, report on or assess the commitment share the HTML of
    its sections, milestones, progress and assessment."""
    client.force_login(UserFactory())
    url = commitment.get_absolute_url()
    get(client, url)
    MilestoneFactory(commitment=commitment, title="A milestone added since")
    commitment.problem = "A problem described since."
    commitment.save()
    html = get(client, url).content
    assert b"A milestone added since" in html
    assert b"A problem described since." in html


def test_people_who_can_change_the_commitment_get_their_controls(client, commitment):
    commitment.plan.status = "draft"
    commitment.plan.save()
    MilestoneFactory(commitment=commitment)
    client.force_login(UserFactory())
    client.get(commitment.get_absolute_url())  # may fill the shared parts (or be refused)
    client.force_login(MemberRoleFactory(member=commitment.plan.member).user)
    html = get(client, commitment.get_absolute_url()).content
    assert b"Add a milestone" in html
