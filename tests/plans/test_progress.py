"""Progress reports with evidence: who may report, what a report saves, how bad evidence is
refused without losing anything, and how the commitment page shows the trail."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from commitments import selectors
from commitments.models import Evidence, ProgressReport
from tests.factories import UserFactory
from tests.people import (
    ANONYMOUS,
    FORUM,
    IRM_ASSESSOR,
    OFFICER,
    OGP_ADMIN,
    OTHER_OFFICER,
    POINT_OF_CONTACT,
    USER,
)
from tests.plans.factories import (
    ActionPlanFactory,
    CommitmentFactory,
    MilestoneFactory,
    ProgressReportFactory,
)

pytestmark = pytest.mark.django_db

ROLES = [ANONYMOUS, USER, OTHER_OFFICER, FORUM, OFFICER, POINT_OF_CONTACT, OGP_ADMIN, IRM_ASSESSOR]
REPORTERS = {OFFICER, POINT_OF_CONTACT}
# Who sees a draft plan (and so gets 403 rather than 404 on its pages).
DRAFT_READERS = {FORUM, OFFICER, POINT_OF_CONTACT, OGP_ADMIN}
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


@pytest.fixture
def world(people):
    plan = ActionPlanFactory(member=people.member, status="implementation", published=True)
    commitment = CommitmentFactory(plan=plan)
    milestone = MilestoneFactory(commitment=commitment)
    return {"plan": plan, "commitment": commitment, "milestone": milestone}


def url(commitment):
    return reverse("commitments:progress", args=[commitment.identifier])


def report_data(rows=(), **fields):
    """A posted report: the fields given and up to three evidence rows (dicts)."""
    data = {
        "milestone": "",
        "level": "substantial",
        "narrative": "The register is online.",
        "evidence-TOTAL_FORMS": "3",
        "evidence-INITIAL_FORMS": "0",
        "evidence-MIN_NUM_FORMS": "0",
        "evidence-MAX_NUM_FORMS": "3",
    }
    for index, row in enumerate(rows):
        data.update({f"evidence-{index}-{name}": value for name, value in row.items()})
    data.update(fields)
    return data


def assert_refused(response, role, plan):
    if not plan.is_public and role not in DRAFT_READERS:
        assert response.status_code == 404
    elif role == ANONYMOUS:
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
    else:
        assert response.status_code == 403


# --- Permissions ---------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_who_opens_the_report_form(client, people, world, role):
    """During implementation only the member's officers and points of contact open the form;
    OGP admins and IRM assessors do not report for a member."""
    people.sign_in(client, role)
    response = client.get(url(world["commitment"]))
    if role in REPORTERS:
        assert response.status_code == 200
        assert b'enctype="multipart/form-data"' in response.content
    else:
        assert_refused(response, role, world["plan"])


@pytest.mark.parametrize("role", ROLES)
def test_who_posts_a_report(client, people, world, role):
    """A report posted without the right saves nothing and changes no completion."""
    people.sign_in(client, role)
    response = client.post(url(world["commitment"]), report_data())
    world["commitment"].refresh_from_db()
    if role in REPORTERS:
        assert response.status_code == 302
        assert ProgressReport.objects.count() == 1
        assert world["commitment"].completion == "substantial"
    else:
        assert_refused(response, role, world["plan"])
        assert ProgressReport.objects.count() == 0
        assert world["commitment"].completion == ""


@pytest.mark.parametrize(
    "status, allowed",
    [
        ("draft", False),
        ("cocreation", False),
        ("submitted", False),
        ("implementation", True),
        ("ended", True),
        ("withdrawn", False),
    ],
)
@pytest.mark.parametrize("role", [OFFICER, ANONYMOUS, USER])
def test_reporting_depends_on_the_plan_status(client, people, world, status, allowed, role):
    """Progress is reported once implementation started, including after the plan ended."""
    plan = world["plan"]
    plan.status = status
    plan.published_at = None if status == "draft" else plan.published_at
    plan.save()
    people.sign_in(client, role)
    for response in (
        client.get(url(world["commitment"])),
        client.post(url(world["commitment"]), report_data()),
    ):
        if allowed and role in REPORTERS:
            assert response.status_code in (200, 302)
        else:
            assert_refused(response, role, plan)
    assert ProgressReport.objects.exists() is (allowed and role in REPORTERS)


def test_unknown_commitment_is_not_found(client, people, world):
    people.sign_in(client, OFFICER)
    response = client.get(reverse("commitments:progress", args=["ZZ9999"]))
    assert response.status_code == 404


# --- Saving --------------------------------------------------------------------------------


def test_report_on_a_milestone_with_link_and_file(client, people, world):
    """A report on a milestone saves its evidence and sets that milestone's completion, not the
    commitment's; the officer lands on the progress section with a message."""
    people.sign_in(client, OFFICER)
    milestone = world["milestone"]
    pdf = SimpleUploadedFile("Register report.pdf", PDF, content_type="application/pdf")
    response = client.post(
        url(world["commitment"]),
        report_data(
            rows=[
                {"title": "Register", "url": "data.gov.lv/register"},
                {"title": "Audit report", "file": pdf},
            ],
            milestone=str(milestone.pk),
            level="complete",
        ),
        follow=True,
    )
    assert response.redirect_chain[-1][0].endswith(
        f"{world['commitment'].get_absolute_url()}#progress"
    )
    assert "Progress on" in response.content.decode()
    report = ProgressReport.objects.get()
    assert report.milestone == milestone
    assert report.reported_by == people[OFFICER]
    link, upload = report.evidence.order_by("pk")
    assert (link.title, link.url, link.file.name) == (
        "Register",
        "https://data.gov.lv/register",
        "",
    )
    assert upload.title == "Audit report" and upload.url == ""
    assert upload.file.name.endswith(".pdf")
    assert upload.file.read() == PDF
    milestone.refresh_from_db()
    world["commitment"].refresh_from_db()
    assert milestone.completion == "complete"
    assert world["commitment"].completion == ""


def test_report_on_the_whole_commitment_sets_its_completion(client, people, world):
    people.sign_in(client, POINT_OF_CONTACT)
    response = client.post(url(world["commitment"]), report_data(level="limited"))
    assert response.status_code == 302
    world["commitment"].refresh_from_db()
    world["milestone"].refresh_from_db()
    assert world["commitment"].completion == "limited"
    assert world["milestone"].completion == "not_started"
    assert ProgressReport.objects.get().milestone is None


def test_the_latest_report_sets_the_level(client, people, world):
    """Completion follows the latest report, even when it goes down (e.g. withdrawn)."""
    people.sign_in(client, OFFICER)
    client.post(url(world["commitment"]), report_data(level="substantial"))
    client.post(url(world["commitment"]), report_data(level="withdrawn"))
    world["commitment"].refresh_from_db()
    assert world["commitment"].completion == "withdrawn"
    assert ProgressReport.objects.count() == 2


def test_empty_rows_are_ignored(client, people, world):
    people.sign_in(client, OFFICER)
    response = client.post(
        url(world["commitment"]),
        report_data(rows=[{"title": "", "url": ""}, {"title": "  "}, {}]),
    )
    assert response.status_code == 302
    assert Evidence.objects.count() == 0


def test_milestone_preselected_from_the_query_string(client, people, world):
    people.sign_in(client, OFFICER)
    milestone = world["milestone"]
    response = client.get(f"{url(world['commitment'])}?milestone={milestone.pk}")
    assert response.context["form"]["milestone"].value() == milestone.pk
    assert f'<option value="{milestone.pk}" selected>' in response.content.decode()


# --- Refusals ------------------------------------------------------------------------------


def refused(client, people, world, data):
    """Post and check that nothing was saved and the page came back with an error summary."""
    people.sign_in(client, OFFICER)
    response = client.post(url(world["commitment"]), data)
    assert response.status_code == 200
    assert 'class="error-summary"' in response.content.decode()
    assert ProgressReport.objects.count() == 0
    assert Evidence.objects.count() == 0
    world["commitment"].refresh_from_db()
    assert world["commitment"].completion == ""
    return response


def test_a_row_with_a_title_but_neither_link_nor_file(client, people, world):
    """The row is marked, the typed report comes back unchanged, and nothing is saved."""
    response = refused(
        client,
        people,
        world,
        report_data(rows=[{"title": "Minutes"}], narrative="Meetings were held in May."),
    )
    row = response.context["evidence_formset"].forms[0]
    assert row.non_field_errors() == ["Give a link or choose a file for this evidence."]
    page = response.content.decode()
    assert 'href="#id_evidence-0-url"' in page
    assert "Meetings were held in May." in page
    assert 'value="Minutes"' in page


def test_a_row_with_both_link_and_file(client, people, world):
    pdf = SimpleUploadedFile("a.pdf", PDF)
    response = refused(
        client,
        people,
        world,
        report_data(rows=[{"title": "A", "url": "https://example.org", "file": pdf}]),
    )
    assert "not both" in response.context["evidence_formset"].forms[0].non_field_errors()[0]


def test_a_link_without_a_title(client, people, world):
    response = refused(
        client, people, world, report_data(rows=[{"url": "https://example.org/report"}])
    )
    assert response.context["evidence_formset"].forms[0].errors["title"] == [
        "Give the evidence a title."
    ]


def test_an_invalid_link(client, people, world):
    response = refused(
        client, people, world, report_data(rows=[{"title": "A", "url": "not a link"}])
    )
    assert "url" in response.context["evidence_formset"].forms[0].errors


def test_a_pdf_that_is_not_a_pdf(client, people, world):
    """A file named .pdf must be a PDF; the officer is asked for the file again."""
    fake = SimpleUploadedFile("report.pdf", b"MZ\x90\x00 this is a Windows program")
    response = refused(client, people, world, report_data(rows=[{"title": "Report", "file": fake}]))
    errors = response.context["evidence_formset"].forms[0].errors["file"]
    assert errors == ["The file's content does not match its type (.pdf)."]


def test_an_executable(client, people, world):
    program = SimpleUploadedFile("setup.exe", b"MZ\x90\x00\x03\x00")
    response = refused(
        client, people, world, report_data(rows=[{"title": "Tool", "file": program}])
    )
    errors = response.context["evidence_formset"].forms[0].errors["file"]
    assert len(errors) == 1 and "“exe” is not allowed" in errors[0]


def test_a_file_too_large(client, people, world, monkeypatch):
    monkeypatch.setattr("commitments.validators.MAX_EVIDENCE_SIZE", 10)
    pdf = SimpleUploadedFile("big.pdf", PDF)
    response = refused(client, people, world, report_data(rows=[{"title": "Big", "file": pdf}]))
    errors = response.context["evidence_formset"].forms[0].errors["file"]
    assert errors == [f"The file is {len(PDF)}\xa0bytes; the limit is 10\xa0bytes."]


def test_a_good_file_in_a_refused_report_must_be_chosen_again(client, people, world):
    """Browsers drop a chosen file when the page comes back: the row says which to choose."""
    pdf = SimpleUploadedFile("minutes-may.pdf", PDF)
    response = refused(
        client,
        people,
        world,
        report_data(rows=[{"title": "Minutes", "file": pdf}], narrative="", level=""),
    )
    page = response.content.decode()
    assert "minutes-may.pdf" in page and "choose it again" in page
    assert response.context["form"].errors.keys() == {"level", "narrative"}


def test_a_milestone_of_another_commitment_is_refused(client, people, world):
    other = MilestoneFactory()
    response = refused(client, people, world, report_data(milestone=str(other.pk)))
    assert "milestone" in response.context["form"].errors


def test_more_rows_than_offered_are_refused(client, people, world):
    rows = [{"title": f"Link {n}", "url": f"https://example.org/{n}"} for n in range(4)]
    refused(client, people, world, report_data(rows=rows, **{"evidence-TOTAL_FORMS": "4"}))


# --- The trail on the commitment page ------------------------------------------------------


def render_progress(commitment, *, can_report_progress=False, user=None):
    commitment = selectors.commitment_detail(
        user=user or AnonymousUser(), identifier=commitment.identifier
    )
    return render_to_string(
        "commitments/_progress.html",
        {"commitment": commitment, "can_report_progress": can_report_progress},
    )


def test_empty_trail(world):
    html = render_progress(world["commitment"])
    assert '<section class="section" id="progress" aria-labelledby="progress-title">' in html
    assert "No progress has been reported yet." in html
    assert "Report progress" not in html


def test_report_button_only_when_allowed(world):
    html = render_progress(world["commitment"], can_report_progress=True)
    assert f'href="{url(world["commitment"])}"' in html


def test_trail_newest_first_with_evidence(world):
    """Each report shows its date, level, what it is on, the narrative (escaped, with line
    breaks), the reporter and its evidence; links are nofollow, files go through the download
    view."""
    commitment, milestone = world["commitment"], world["milestone"]
    reporter = UserFactory(display_name="Ilze Bērziņa")
    older = ProgressReportFactory(
        commitment=commitment, level="limited", narrative="First <b>draft</b>\n\nSecond paragraph"
    )
    older.reported_at = older.reported_at.replace(year=2025)
    older.save()
    newer = ProgressReportFactory(
        commitment=commitment, milestone=milestone, level="complete", reported_by=reporter
    )
    link = Evidence.objects.create(report=newer, title="Open data", url="https://data.example.org")
    upload = Evidence.objects.create(
        report=newer, title="Minutes", file=SimpleUploadedFile("minutes.pdf", PDF)
    )
    commitment.completion = "complete"
    commitment.save()
    html = render_progress(commitment)
    assert html.index(f'id="progress-{newer.pk}"') < html.index(f'id="progress-{older.pk}"')
    assert "&lt;b&gt;draft&lt;/b&gt;" in html and "<b>draft" not in html
    assert "<p>Second paragraph</p>" in html
    # Titles and names people typed are isolated from the words around them (<bdi>).
    assert f'<a href="#milestone-{milestone.pk}"><bdi>{milestone.title}</bdi></a>' in html
    assert "Whole commitment" in html
    assert "Reported by <bdi>Ilze Bērziņa</bdi>" in html
    assert f'<a href="{link.url}" rel="nofollow noopener"><bdi>Open data</bdi></a>' in html
    evidence_url = reverse("commitments:evidence_file", args=[upload.pk])
    assert f'<a href="{evidence_url}"><bdi>Minutes</bdi></a>' in html
    assert 'class="badge badge--completion-complete">Complete</span>' in html


def test_trail_costs_no_query_per_report(world):
    """Rendering the trail from the page's selector costs no query, whatever its length."""
    commitment = world["commitment"]
    for level in ("limited", "substantial", "complete"):
        report = ProgressReportFactory(
            commitment=commitment, milestone=world["milestone"], level=level
        )
        Evidence.objects.create(report=report, title="Link", url="https://example.org")
        Evidence.objects.create(report=report, title="File", file=SimpleUploadedFile("a.pdf", PDF))
    loaded = selectors.commitment_detail(user=AnonymousUser(), identifier=commitment.identifier)
    with CaptureQueriesContext(connection) as queries:
        html = render_to_string(
            "commitments/_progress.html", {"commitment": loaded, "can_report_progress": True}
        )
    assert html.count('class="progress-report"') == 3
    assert len(queries) == 0, [q["sql"] for q in queries]


def test_commitment_page_shows_the_trail(client, people, world):
    ProgressReportFactory(commitment=world["commitment"], narrative="Work has started.")
    people.sign_in(client, OFFICER)
    response = client.get(world["commitment"].get_absolute_url())
    page = response.content.decode()
    assert 'id="progress"' in page and "Work has started." in page
    assert f'href="{url(world["commitment"])}"' in page
