"""The demo action plans of seed_demo: one per stage for Italy, Latvia and Spain, plus Spain's
assessed previous plan, each valid for its stage, and loading them twice changes nothing."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from action_plans.models import ActionPlan, PlanTransition
from action_plans.selectors import plan_submission_checklist
from commitments.models import (
    Assessment,
    Commitment,
    CommitmentNumbering,
    Evidence,
    Milestone,
    ProgressReport,
)
from commitments.policies import is_irm_assessor
from ogp_platform.members.models import ContraryToProcess, Institution, Member, MemberRole
from ogp_platform.members.policies import can_draft_plans

pytestmark = pytest.mark.django_db

Status = ActionPlan.Status


@pytest.fixture
def seed(settings):
    settings.DEBUG = True

    def seed():
        out = StringIO()
        call_command("seed_demo", stdout=out)
        return out.getvalue()

    return seed


def snapshot() -> dict:
    """How many rows of each kind the demo left, history included."""
    return {
        "plans": ActionPlan.objects.count(),
        "plan versions": ActionPlan.history.count(),
        "transitions": PlanTransition.objects.count(),
        "commitments": Commitment.objects.count(),
        "commitment versions": Commitment.history.count(),
        "milestones": Milestone.objects.count(),
        "milestone versions": Milestone.history.count(),
        "reports": ProgressReport.objects.count(),
        "evidence": Evidence.objects.count(),
        "assessments": Assessment.objects.count(),
        "institutions": Institution.objects.count(),
        "roles": MemberRole.objects.count(),
        "contrary to process": ContraryToProcess.objects.count(),
        "numbering": sorted(CommitmentNumbering.objects.values_list("last_number", flat=True)),
        "users": get_user_model().objects.count(),
    }


def test_seed_demo_twice_runs_and_changes_nothing_the_second_time(seed):
    """The second run finds every plan in place and adds nothing, not even history rows."""
    output = seed()
    first = snapshot()
    assert "4 action plans" in output
    assert "officer.it@demo.ogp.example" in output
    assert "officer.es@demo.ogp.example" in output
    assert first["plans"] == 4
    assert first["commitments"] == 5 + 6 + 5 + 6
    assert first["reports"] >= 5
    assert first["assessments"] == 5
    assert first["contrary to process"] == 0

    seed()
    assert snapshot() == first


def test_one_demo_plan_per_stage(seed):
    seed()
    stages = {
        (plan.member.slug, plan.status) for plan in ActionPlan.objects.select_related("member")
    }
    assert stages == {
        ("italy", Status.DRAFT),
        ("latvia", Status.COCREATION),
        ("spain", Status.IMPLEMENTATION),
        ("spain", Status.ENDED),
    }


def test_every_demo_plan_is_valid_for_its_stage(seed):
    """Each plan has 5–8 commitments of 2–4 milestones, all dated inside their parents, with
    lead institutions of its member; the plans past co-creation pass the submission checklist,
    the plan in co-creation misses only responses to its consultation's inputs, and the
    Italian draft still misses what its checklist says."""
    seed()
    for plan in ActionPlan.objects.select_related("member"):
        commitments = list(plan.commitments.prefetch_related("milestones", "policy_areas"))
        assert 5 <= len(commitments) <= 8, plan.identifier
        for commitment in commitments:
            assert commitment.identifier.startswith(plan.member.country)
            assert plan.start_date <= commitment.start_date <= commitment.end_date
            assert commitment.end_date <= plan.end_date
            assert commitment.lead_institution.member_id == plan.member_id
            assert commitment.policy_areas.all()
            milestones = commitment.milestones.all()
            assert 2 <= len(milestones) <= 4, commitment.identifier
            for milestone in milestones:
                assert commitment.start_date <= milestone.start_date <= milestone.end_date
                assert milestone.end_date <= commitment.end_date
        checklist = plan_submission_checklist(plan=plan)
        if plan.status == Status.DRAFT:
            assert [item.text.split(" ")[0] for item in checklist.missing] == ["IT0005"]
            assert "a core OGP value" in checklist.missing[0].text
        elif plan.status == Status.COCREATION:
            # Its consultation's inputs wait for responses (participation.demo): only the
            # register stands between the plan and its submission.
            assert [item.url.split("?")[1] for item in checklist.missing] == ["disposition=pending"]
            assert plan.is_public
        else:
            assert checklist.ready, [item.text for item in checklist.missing]
            assert plan.is_public


def test_the_timelines_tell_the_story_with_their_dates(seed):
    """Each plan's timeline runs through its stages in order, dated as the story has it;
    Spain's previous plan was submitted late, but before 1 January, so it is not recorded as
    contrary to process."""
    seed()
    previous = ActionPlan.objects.get(member__slug="spain", status=Status.ENDED)
    steps = [
        (step.to_status, step.created_at.date().isoformat()) for step in previous.transitions.all()
    ]
    assert steps == [
        (Status.DRAFT, "2019-11-15"),
        (Status.COCREATION, "2020-02-03"),
        (Status.SUBMITTED, "2020-10-29"),
        (Status.IMPLEMENTATION, "2020-11-02"),
        (Status.ENDED, "2024-10-01"),
    ]
    assert previous.is_late
    assert previous.identifier == "AP_ESP01"
    current = ActionPlan.objects.get(member__slug="spain", status=Status.IMPLEMENTATION)
    assert current.identifier == "AP_ESP02"
    assert not current.is_late
    assert not ContraryToProcess.objects.filter(member__slug="spain").exists()
    draft = ActionPlan.objects.get(member__slug="italy")
    assert draft.published_at is None
    assert list(draft.transitions.values_list("to_status", flat=True)) == [Status.DRAFT]


def test_the_plan_in_implementation_has_progress_with_evidence(seed):
    """Spain's current plan reports progress on milestones and a commitment, with links and a
    PDF file as evidence."""
    seed()
    plan = ActionPlan.objects.get(member__slug="spain", status=Status.IMPLEMENTATION)
    reports = ProgressReport.objects.filter(commitment__plan=plan)
    assert reports.filter(milestone__isnull=False).exists()
    assert reports.filter(milestone__isnull=True).exists()
    evidence = Evidence.objects.filter(report__in=reports)
    assert evidence.exclude(url="").count() >= 3
    document = evidence.exclude(file="").get()
    with document.file.open("rb") as pdf:
        content = pdf.read()
    assert content.startswith(b"%PDF-1.4")
    assert content.rstrip().endswith(b"%%EOF")
    # The reported levels became the milestones' completion.
    completed = Milestone.objects.filter(commitment__plan=plan, completion="complete")
    assert completed.count() == 2


def test_the_previous_plan_is_assessed_with_unknowns_and_a_star(seed):
    """Every commitment of Spain's ended plan has an IRM assessment; some judgements are
    unknown (stored empty, not defaulted), at least one commitment is starred, and one cannot be
    starred or not yet."""
    seed()
    plan = ActionPlan.objects.get(member__slug="spain", status=Status.ENDED)
    assessments = list(
        Assessment.objects.filter(commitment__plan=plan).select_related("commitment__plan")
    )
    assert len(assessments) == plan.commitments.count() == 5
    starred = [assessment.starred for assessment in assessments]
    assert True in starred
    assert False in starred
    assert None in starred
    assert any(a.verifiable is None for a in assessments)
    assert any(a.completion_end == "" for a in assessments)
    assert all(a.uses_results_method for a in assessments)


def test_the_demo_officers_draft_for_their_members_and_the_admin_assesses(seed):
    seed()
    User = get_user_model()
    italy, latvia, spain = (Member.objects.get(slug=slug) for slug in ("italy", "latvia", "spain"))
    officer_it = User.objects.get(email="officer.it@demo.ogp.example")
    officer_es = User.objects.get(email="officer.es@demo.ogp.example")
    assert officer_it.check_password("demo-officer-it-pass")
    assert officer_es.check_password("demo-officer-es-pass")
    assert can_draft_plans(officer_it, italy)
    assert not can_draft_plans(officer_it, spain)
    assert can_draft_plans(officer_es, spain)
    assert not can_draft_plans(officer_es, latvia)
    admin = User.objects.get(email="admin@demo.ogp.example")
    assert admin.groups.filter(name="IRM assessors").exists()
    assert is_irm_assessor(admin)
    # The history of the plans' content is attributed to the officers who wrote it.
    writers = set(
        Commitment.history.filter(plan__member=spain).values_list("history_user__email", flat=True)
    )
    assert writers == {"officer.es@demo.ogp.example"}


def test_the_commitments_are_written_in_the_members_languages(seed):
    """Latvian texts keep their diacritics; Italian and Spanish texts are in their languages."""
    seed()

    def text(slug):
        return " ".join(
            " ".join([c.title, c.problem, c.status_quo, c.description, c.contribution])
            for c in Commitment.objects.filter(plan__member__slug=slug)
        )

    latvian = text("latvia")
    assert set("āčēģīķļņšūž") <= set(latvian.lower())
    assert "pašvaldību" in latvian
    assert "trasparenza" in text("italy")
    assert "contratación" in text("spain")
