"""Consultation pages and the panel on the plan page: who may schedule, change, open and close
a consultation (the permission matrix), the forms (datetime inputs in the site's time zone,
errors), the consultation page, and the panel's constant cost."""

import datetime
import zoneinfo

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from participation.links import args_of
from participation.models import Consultation
from participation.selectors import content_type_of
from tests.participation.factories import ConsultationFactory
from tests.people import (
    ANONYMOUS,
    CSO_MEMBER,
    MODERATOR,
    OFFICER,
    OGP_ADMIN,
    OTHER_OFFICER,
    UNVERIFIED,
    USER,
)
from tests.plans.factories import ActionPlanFactory, CommitmentFactory
from tests.queries import assert_queries_constant, get_ok

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)
ROLES = [ANONYMOUS, UNVERIFIED, USER, CSO_MEMBER, OFFICER, OTHER_OFFICER, MODERATOR, OGP_ADMIN]
RESPONDERS = {OFFICER}
WORDING = {
    "rules": "Everyone with a verified account may comment.",
    "questions": "What should the plan change?\nWhich commitment matters most?",
}


def schedule(plan, **fields) -> Consultation:
    return ConsultationFactory(space=plan, state="scheduled", **{**WORDING, **fields})


def opened(plan, **fields) -> Consultation:
    return ConsultationFactory(space=plan, state="open", **{**WORDING, **fields})


@pytest.fixture
def plan(people):
    return ActionPlanFactory(member=people.member, status="cocreation", published=True)


def create_url(plan) -> str:
    return reverse("participation:consultation_create", args=args_of(plan))


def url(name, consultation) -> str:
    return reverse(f"participation:consultation_{name}", args=[consultation.pk])


def form_data(**fields) -> dict:
    now = timezone.localtime()
    values = {
        "title": "Consultation on the fifth plan",
        "rules": "Be kind.",
        "questions": "What is missing?",
        "opens_at": (now + DAY).strftime("%Y-%m-%dT%H:%M"),
        "closes_at": (now + 15 * DAY).strftime("%Y-%m-%dT%H:%M"),
    }
    values.update(fields)
    return values


def assert_refused(response, role):
    if role == ANONYMOUS:
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    else:
        assert response.status_code == 403


# --- Permission matrix -----------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_scheduling_a_consultation(client, people, plan, role):
    """Only the member's officers open the form and schedule a consultation."""
    people.sign_in(client, role)
    get = client.get(create_url(plan))
    post = client.post(create_url(plan), form_data())
    exists = Consultation.objects.exists()
    if role in RESPONDERS:
        assert get.status_code == 200
        assert post.status_code == 302 and post["Location"].endswith("#consultation")
        assert exists
    else:
        assert_refused(get, role)
        assert_refused(post, role)
        assert not exists


@pytest.mark.parametrize("role", ROLES)
def test_changing_a_consultation(client, people, plan, role):
    consultation = schedule(plan)
    people.sign_in(client, role)
    get = client.get(url("edit", consultation))
    post = client.post(url("edit", consultation), form_data(title="Changed"))
    consultation.refresh_from_db()
    if role in RESPONDERS:
        assert get.status_code == 200
        assert post.status_code == 302
        assert consultation.title == "Changed"
    else:
        assert_refused(get, role)
        assert_refused(post, role)
        assert consultation.title == "Consultation on the draft plan"


@pytest.mark.parametrize("role", ROLES)
def test_opening_by_hand(client, people, plan, role):
    consultation = schedule(plan)
    people.sign_in(client, role)
    get = client.get(url("open", consultation))
    post = client.post(url("open", consultation))
    consultation.refresh_from_db()
    if role in RESPONDERS:
        assert get.status_code == 200
        assert post.status_code == 302 and post["Location"].endswith("#consultation")
        assert consultation.is_open
    else:
        assert_refused(get, role)
        assert_refused(post, role)
        assert consultation.state == Consultation.State.SCHEDULED


@pytest.mark.parametrize("role", ROLES)
def test_closing_by_hand(client, people, plan, role):
    consultation = opened(plan)
    people.sign_in(client, role)
    get = client.get(url("close", consultation))
    post = client.post(url("close", consultation))
    consultation.refresh_from_db()
    if role in RESPONDERS:
        assert get.status_code == 200
        assert post.status_code == 302
        assert consultation.state == Consultation.State.CLOSED
    else:
        assert_refused(get, role)
        assert_refused(post, role)
        assert consultation.is_open


STATES = ["draft", "cocreation", "submitted", "implementation", "ended", "withdrawn"]


@pytest.mark.parametrize("status", STATES)
def test_only_a_plan_in_cocreation_accepts_a_new_consultation(client, people, status):
    plan = ActionPlanFactory(member=people.member, status=status, published=status != "draft")
    people.sign_in(client, OFFICER)
    get = client.get(create_url(plan))
    post = client.post(create_url(plan), form_data())
    if status == "cocreation":
        assert get.status_code == 200 and post.status_code == 302
        assert Consultation.objects.count() == 1
    else:
        assert get.status_code == post.status_code == 403
        assert not Consultation.objects.exists()
        page = client.get(plan.get_absolute_url())
        assert create_url(plan) not in page.content.decode()


@pytest.mark.parametrize("status", ["submitted", "withdrawn"])
def test_after_cocreation_an_open_consultation_can_be_closed_but_not_changed(
    client, people, plan, status
):
    consultation = opened(plan)
    plan.status = status
    plan.save()
    people.sign_in(client, OFFICER)
    assert client.get(url("edit", consultation)).status_code == 403
    assert client.post(url("close", consultation)).status_code == 302
    consultation.refresh_from_db()
    assert consultation.state == Consultation.State.CLOSED


def test_a_draft_plan_and_its_consultations_are_hidden_from_outsiders(client, people):
    plan = ActionPlanFactory(member=people.member, status="draft")
    consultation = schedule(plan)
    people.sign_in(client, USER)
    for address in (create_url(plan), url("detail", consultation), url("edit", consultation)):
        assert client.get(address).status_code == 404


def test_the_create_page_names_a_participable_space_only(client, people, plan):
    people.sign_in(client, OFFICER)
    member_type = content_type_of(plan.member)
    # Not participable: named by a slug, or as addresses of old by its content type.
    assert client.get(f"/consultations/new/member/{plan.member.pk}/").status_code == 404
    assert client.get(f"/consultations/new/{member_type.pk}/{plan.member.pk}/").status_code == 404
    # Participable, but not a space: consultations are held on its plan.
    commitment = CommitmentFactory(plan=plan)
    commitment_url = reverse("participation:consultation_create", args=args_of(commitment))
    assert client.get(commitment_url).status_code == 404
    assert client.get(f"/consultations/new/999999/{plan.pk}/").status_code == 404
    gone = reverse("participation:consultation_create", args=["plan", 999999])
    assert client.get(gone).status_code == 404


def test_state_changes_need_the_csrf_token(people, plan):
    consultation = schedule(plan)
    client = Client(enforce_csrf_checks=True)
    people.sign_in(client, OFFICER)
    assert client.post(url("open", consultation)).status_code == 403
    assert client.post(create_url(plan), form_data()).status_code == 403
    consultation.refresh_from_db()
    assert consultation.state == Consultation.State.SCHEDULED


# --- Forms -----------------------------------------------------------------------------------


def test_the_form_reads_dates_in_the_site_time_zone(client, people, plan, settings):
    settings.TIME_ZONE = "Europe/Riga"
    people.sign_in(client, OFFICER)
    page = client.get(create_url(plan)).content.decode()
    assert 'type="datetime-local"' in page
    assert '<label class="field__label" for="id_opens_at">Opens' in page
    assert "Europe/Riga" in page
    year = timezone.now().year + 1
    client.post(
        create_url(plan),
        form_data(opens_at=f"{year}-01-10T10:00", closes_at=f"{year}-02-10T18:30"),
    )
    consultation = Consultation.objects.get()
    riga = zoneinfo.ZoneInfo("Europe/Riga")
    assert consultation.opens_at == datetime.datetime(year, 1, 10, 10, 0, tzinfo=riga)
    assert consultation.opens_at == datetime.datetime(year, 1, 10, 8, 0, tzinfo=datetime.UTC)
    assert consultation.closes_at == datetime.datetime(year, 2, 10, 18, 30, tzinfo=riga)
    edit = client.get(url("edit", consultation)).content.decode()
    assert f'value="{year}-01-10T10:00"' in edit


def test_errors_are_shown_in_the_summary_and_next_to_the_field(client, people, plan):
    people.sign_in(client, OFFICER)
    now = timezone.localtime()
    response = client.post(
        create_url(plan),
        form_data(
            questions="  ",
            opens_at=(now + 2 * DAY).strftime("%Y-%m-%dT%H:%M"),
            closes_at=(now + DAY).strftime("%Y-%m-%dT%H:%M"),
        ),
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert 'href="#id_closes_at"' in page
    assert "The consultation must close after it opens." in page
    assert 'href="#id_questions"' in page
    assert not Consultation.objects.exists()


def test_an_overlap_is_shown_on_the_opening_field(client, people, plan):
    schedule(plan, title="First round")
    people.sign_in(client, OFFICER)
    response = client.post(create_url(plan), form_data())
    page = response.content.decode()
    assert 'href="#id_opens_at"' in page and "First round" in page
    assert Consultation.objects.count() == 1


def test_an_open_consultation_form_changes_only_the_closing_time(client, people, plan):
    consultation = opened(plan)
    people.sign_in(client, OFFICER)
    page = client.get(url("edit", consultation)).content.decode()
    assert 'name="closes_at"' in page
    assert 'name="title"' not in page and 'name="opens_at"' not in page
    later = (timezone.localtime() + 30 * DAY).replace(second=0, microsecond=0)
    past = (timezone.localtime() - DAY).strftime("%Y-%m-%dT%H:%M")
    response = client.post(url("edit", consultation), {"closes_at": past})
    assert "cannot be in the past" in response.content.decode()
    client.post(url("edit", consultation), {"closes_at": later.strftime("%Y-%m-%dT%H:%M")})
    consultation.refresh_from_db()
    assert consultation.closes_at == later


def test_a_closed_consultation_is_not_editable(client, people, plan):
    now = timezone.now()
    consultation = opened(plan, closes_at=now, closed_at=now)
    people.sign_in(client, OFFICER)
    assert client.get(url("edit", consultation)).status_code == 403
    assert client.get(url("open", consultation)).status_code == 403
    assert client.get(url("close", consultation)).status_code == 403


def test_open_and_close_ask_for_confirmation_and_post(client, people, plan):
    consultation = schedule(plan)
    people.sign_in(client, OFFICER)
    page = client.get(url("open", consultation)).content.decode()
    assert '<form class="form card" method="post"' in page and "csrfmiddlewaretoken" in page
    consultation.refresh_from_db()
    assert consultation.state == Consultation.State.SCHEDULED
    response = client.post(url("open", consultation), follow=True)
    assert "The consultation is open." in response.content.decode()
    response = client.post(url("close", consultation), follow=True)
    assert "The consultation is closed." in response.content.decode()


def test_opening_over_an_open_consultation_is_refused_on_the_confirmation_page(
    client, people, plan
):
    now = timezone.now()
    opened(plan, title="Running", closes_at=now + 2 * DAY)
    later = schedule(plan, opens_at=now + 3 * DAY, closes_at=now + 5 * DAY)
    people.sign_in(client, OFFICER)
    response = client.post(url("open", later))
    assert response.status_code == 400
    assert "Running" in response.content.decode()
    later.refresh_from_db()
    assert later.state == Consultation.State.SCHEDULED


# --- Pages -----------------------------------------------------------------------------------

XSS = '<script>alert(1)</script><img src=x onerror="alert(2)">'


def test_the_consultation_page(client, people, plan):
    consultation = schedule(plan, title=f"Round {XSS}", rules=f"Line one\nLine {XSS}")
    consultation.questions = f"First?\nSecond {XSS}?"
    consultation.save()
    page = client.get(url("detail", consultation)).content.decode()
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "Scheduled" in page
    assert "<li>First?</li>" in page
    assert "Line one<br>Line &lt;script&gt;" in page
    assert f'href="{plan.get_absolute_url()}"' in page
    assert url("edit", consultation) not in page  # not for visitors


def test_the_consultation_page_offers_the_officer_its_actions(client, people, plan):
    consultation = opened(plan)
    people.sign_in(client, OFFICER)
    page = client.get(url("detail", consultation)).content.decode()
    assert url("edit", consultation) in page
    assert url("close", consultation) in page
    assert url("open", consultation) not in page
    assert f"{plan.get_absolute_url()}#comments" in page


def test_the_panel_without_a_consultation(client, people, plan):
    page = client.get(plan.get_absolute_url()).content.decode()
    assert 'id="consultation"' in page
    assert "No consultation has been held on this plan yet." in page
    assert create_url(plan) not in page
    people.sign_in(client, OFFICER)
    page = client.get(plan.get_absolute_url()).content.decode()
    assert create_url(plan) in page and "Open a consultation" in page


def test_the_panel_with_a_scheduled_consultation(client, people, plan):
    consultation = schedule(plan, title=f"Round {XSS}")
    page = client.get(plan.get_absolute_url()).content.decode()
    assert "Scheduled" in page and "<li>Which commitment matters most?</li>" in page
    assert "<script>alert" not in page
    assert 'href="#comments"' not in page
    assert url("open", consultation) not in page
    people.sign_in(client, OFFICER)
    page = client.get(plan.get_absolute_url()).content.decode()
    assert url("edit", consultation) in page and url("open", consultation) in page
    assert url("close", consultation) not in page
    assert create_url(plan) not in page  # one scheduled already


def test_the_panel_with_an_open_consultation(client, people, plan):
    consultation = opened(plan)
    people.sign_in(client, USER)
    page = client.get(plan.get_absolute_url()).content.decode()
    assert "badge--consultation-open" in page
    assert 'href="#comments"' in page and "Take part" in page
    assert url("close", consultation) not in page
    people.sign_in(client, OFFICER)
    page = client.get(plan.get_absolute_url()).content.decode()
    assert url("close", consultation) in page and url("edit", consultation) in page
    assert create_url(plan) not in page


def test_the_panel_after_a_closed_consultation_offers_a_new_one(client, people, plan):
    now = timezone.now()
    consultation = opened(plan, closes_at=now, closed_at=now)
    people.sign_in(client, OFFICER)
    page = client.get(plan.get_absolute_url()).content.decode()
    assert "badge--consultation-closed" in page
    assert url("edit", consultation) not in page and url("close", consultation) not in page
    assert create_url(plan) in page


@pytest.mark.parametrize("role", [ANONYMOUS, OFFICER])
def test_the_panel_costs_the_same_with_one_or_many_consultations(client, people, role):
    people.sign_in(client, role)
    small = ActionPlanFactory(member=people.member, status="cocreation", published=True)
    large = ActionPlanFactory(member=people.member, status="cocreation", published=True)
    now = timezone.now()
    opened(small)
    for days in range(1, 30):
        opened(large, opens_at=now - (days + 1) * DAY, closes_at=now - days * DAY, closed_at=now)
    opened(large, questions="\n".join(f"Question {n}?" for n in range(30)))
    assert_queries_constant(lambda plan: get_ok(client, plan.get_absolute_url()), small, large)


def test_an_untouched_opening_time_already_passed_does_not_block_a_change(client, people, plan):
    """A scheduled consultation whose opening came while no worker ran (stored with seconds):
    saving the form with only a new title is not refused for an opening in the past."""
    consultation = schedule(plan, opens_at=timezone.now() - datetime.timedelta(hours=2))
    people.sign_in(client, OFFICER)
    page = client.get(url("edit", consultation)).content.decode()
    local = timezone.localtime(consultation.opens_at).strftime("%Y-%m-%dT%H:%M")
    closes = timezone.localtime(consultation.closes_at).strftime("%Y-%m-%dT%H:%M")
    assert f'value="{local}"' in page
    response = client.post(
        url("edit", consultation),
        form_data(title="Renamed", opens_at=local, closes_at=closes),
    )
    assert response.status_code == 302
    consultation.refresh_from_db()
    assert consultation.title == "Renamed"
