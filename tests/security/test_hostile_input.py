"""Every field people edit takes the hostile corpus (tests/security/corpus.py) through its real
view, as someone allowed to, and gives it back inert.

For each form: the corpus joined into a few values (each fits the form's shortest field) goes
into every text field at once, then a NUL byte and a 100,000-character string alone. Each post
either saves (a redirect) or shows the form again with its error summary: never a server error.
Then the pages that show the fields are parsed: no script but the platform's own, no event
handler or style attribute, no javascript:/data: link; and `{{ 7*7 }}` is shown as typed.
Markdown fields (comments) take each payload alone too, since Markdown reads them together.

The PDF document, the open-data files and the emails are checked in the second half.
"""

import csv
import datetime
import io
import json
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from action_plans import pdf
from commitments.models import Commitment, CommitmentImport, Milestone
from ogp_platform.members.models import (
    ForumMeeting,
    ForumSeat,
    Member,
    MemberRole,
    Organisation,
    OrganisationMembership,
    OrganisationRename,
)
from participation.links import args_of
from participation.models import Comment, Consultation, Input
from participation.services import comments as comment_services
from participation.services import moderation as moderation_services
from participation.services import register as register_services
from tests.coproduction.catalogue_factories import make_enablers
from tests.coproduction.process_factories import add_item, add_team, create_process
from tests.factories import UserFactory
from tests.imports.dataset import dataset_bytes, madrid
from tests.members.factories import (
    InstitutionFactory,
    MemberFactory,
    MemberRoleFactory,
    OnboardingFactory,
    OrganisationFactory,
    OrganisationMembershipFactory,
)
from tests.participation.factories import ConsultationFactory
from tests.plans.factories import ActionPlanFactory, CommitmentFactory, MilestoneFactory
from tests.security import corpus
from tests.security.inert import formula_cells, header_problems, html_problems, text_of
from use_cases.coproduction.models import Enabler, Process, Resource, Team, TreeItem
from use_cases.coproduction.services import teams as team_services

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


# --- The world: a member with a plan in each state, and one person allowed everything ------------


@dataclass
class World:
    user: object
    member: Member
    draft: object
    cocreation: object
    implementation: object
    quiet: object  # in co-creation, without a consultation
    commitment: Commitment
    milestone: Milestone
    implemented: Commitment
    consultation: Consultation
    comment: Comment
    organisation: Organisation
    onboarding: object
    local_onboarding: object
    # A co-production process of the member (the user owns it): a phase, an objective in it and
    # a task in that, facing the problem profiles of the enabler; a team with nobody in it yet.
    process: Process
    phase: TreeItem
    objective: TreeItem
    task: TreeItem
    team: Team
    enabler: Enabler
    counter: list = field(default_factory=lambda: [0])

    def next(self) -> int:
        self.counter[0] += 1
        return self.counter[0]


@pytest.fixture
def world(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path  # the files added to tasks
    user = UserFactory(is_superuser=True, is_staff=True, display_name="Anna Bērziņa")
    for name in ("OGP admins", "Moderators", "IRM assessors"):
        Group.objects.get(name=name).user_set.add(user)
    member = MemberFactory()
    MemberRoleFactory(member=member, user=user, role=MemberRole.Role.POINT_OF_CONTACT)
    institution = InstitutionFactory(member=member)
    draft = ActionPlanFactory(member=member)
    cocreation = ActionPlanFactory(member=member, status="cocreation", published=True)
    implementation = ActionPlanFactory(member=member, status="implementation", published=True)
    commitment = CommitmentFactory(plan=cocreation, lead_institution=institution)
    milestone = MilestoneFactory(commitment=commitment)
    implemented = CommitmentFactory(plan=implementation, lead_institution=institution)
    MilestoneFactory(commitment=implemented)
    consultation = ConsultationFactory(space=cocreation, created_by=user)
    author = UserFactory()
    comment = comment_services.comment_post(
        actor=author, target=commitment, body="Publish the contracts too."
    )
    organisation = OrganisationFactory()
    OrganisationMembershipFactory(organisation=organisation, user=user, admin=True)
    (enabler,) = make_enablers(1)
    process = create_process(user, member)
    phase = add_item(user, process, name="Engage")
    objective = add_item(user, process, phase, name="Identify stakeholders")
    task = add_item(
        user,
        process,
        objective,
        name="Map the stakeholders",
        problem_profiles=list(enabler.problem_profiles.all()),
    )
    return World(
        user=user,
        member=member,
        draft=draft,
        cocreation=cocreation,
        implementation=implementation,
        quiet=ActionPlanFactory(member=member, status="cocreation", published=True),
        commitment=commitment,
        milestone=milestone,
        implemented=implemented,
        consultation=consultation,
        comment=comment,
        organisation=organisation,
        onboarding=OnboardingFactory(),
        local_onboarding=OnboardingFactory(local=True),
        process=process,
        phase=phase,
        objective=objective,
        task=task,
        team=add_team(user, process, Team.Role.MEMBER, name="Riders"),
        enabler=enabler,
    )


def _space(obj) -> list:
    return args_of(obj)


def _local(w) -> str:
    return w.local_onboarding.member.slug


# --- The forms --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    """One form: where it posts (given the world and the attempt's number, so a case can make a
    fresh object for each attempt), what it posts with the hostile `value` in every text field,
    and the pages that show what was saved. `limit` is the form's shortest text field."""

    name: str
    url: Callable
    data: Callable
    pages: Callable
    limit: int = 200
    anonymous: bool = False


def _member_pages(w):
    return [
        reverse("members:detail", args=[w.member.slug]),
        reverse("members:directory"),
        reverse("members:edit", args=[w.member.slug]),
    ]


def _plan_pages(plan):
    return [plan.get_absolute_url(), reverse("action_plans:edit", args=[plan.identifier])]


def _commitment_pages(commitment):
    return [
        commitment.get_absolute_url(),
        commitment.plan.get_absolute_url(),
        reverse("commitments:edit", args=[commitment.identifier]),
        reverse("commitments:explorer"),
    ]


def _forum_pages(w):
    return [
        reverse("members:forum", args=[w.member.slug]),
        reverse("members:detail", args=[w.member.slug]),
    ]


def _evidence(value: str) -> dict:
    return {
        "evidence-TOTAL_FORMS": "3",
        "evidence-INITIAL_FORMS": "0",
        "evidence-MIN_NUM_FORMS": "0",
        "evidence-MAX_NUM_FORMS": "3",
        "evidence-0-title": value,
        "evidence-0-url": "https://example.org/report",
    }


def _new_plan_in_cocreation(w):
    plan = ActionPlanFactory(member=w.member, status="cocreation", published=True)
    return reverse("action_plans:transition", args=[plan.identifier, "withdraw"])


def _new_comment(w, i):
    """A comment of the world's user (whose own comments may be edited for 15 minutes)."""
    return comment_services.comment_post(
        actor=w.user, target=w.commitment, body=f"My remark number {i}."
    )


def _latest_comment(w) -> Comment:
    return Comment.objects.latest("pk")


def _others_comment(w, i, *, reported=False) -> Comment:
    """A comment by someone else (to report, hide or dismiss reports on), reported if asked."""
    comment = comment_services.comment_post(
        actor=UserFactory(), target=w.commitment, body=f"Rude words {i}."
    )
    if reported:
        moderation_services.comment_report(actor=UserFactory(), comment=comment, reason="spam")
    return comment


def _input(w):
    return Input.objects.filter(comment=w.comment).get()


def _new_rename(w, i) -> str:
    """A new name asked for the world's organisation (verified), waiting for a decision."""
    Organisation.objects.filter(pk=w.organisation.pk).update(verified=True)
    rename, _created = OrganisationRename.objects.update_or_create(
        organisation=w.organisation,
        status=OrganisationRename.Status.PENDING,
        defaults={
            "old_name": w.organisation.name,
            "new_name": f"New name {i}",
            "requested_by": w.user,
        },
    )
    return reverse("members:organisation_rename", args=[w.organisation.slug, rename.pk])


def _consultation_times(i: int) -> dict:
    opens = timezone.localtime() + (10 * i + 1) * DAY
    return {
        "opens_at": opens.strftime("%Y-%m-%dT%H:%M"),
        "closes_at": (opens + 5 * DAY).strftime("%Y-%m-%dT%H:%M"),
    }


# --- The co-production core: processes, their tree, teams, resources, rules; the catalogue ---


def _cp(name: str, w, *args) -> str:
    """A page of the world's process."""
    return reverse(f"coproduction:{name}", args=[w.process.slug, *args])


def _latest(model):
    return model.objects.latest("pk")


def _process_pages(w):
    return [
        w.process.get_absolute_url(),
        reverse("coproduction:processes"),
        _cp("process_edit", w),
        _cp("process_changes", w),
        w.task.get_absolute_url(),
        reverse("dashboard"),
    ]


def _item_data(w, v, i) -> dict:
    return {
        "name": v,
        "description": v,
        "start_date": "",
        "end_date": "",
        "responsible_team": w.team.pk,
    }


def _new_item_pages(w):
    item = _latest(TreeItem)
    return [
        w.process.get_absolute_url(),
        item.get_absolute_url(),
        _cp("item_changes", w, item.pk),
        _cp("item_changes", w, w.objective.pk),
        _cp("process_changes", w),
    ]


def _resource_pages(w):
    resource = _latest(Resource)
    return [w.task.get_absolute_url(), resource.get_absolute_url()]


def _text_file(i) -> dict:
    return {"file": SimpleUploadedFile(f"notes-{i}.txt", b"Notes of the meeting.\n", "text/plain")}


def _enabler_data(w, v, i) -> dict:
    return {
        "name": v,
        "kind": "knowledge",
        "description": v,
        "tags": v,
        "uri": "",
        "form": "",
        "format": "",
        "difficulty": "",
        "licence": "",
        "problem_profiles": [p.pk for p in w.enabler.problem_profiles.all()],
    }


def _enabler_pages(enabler, w):
    return [
        enabler.get_absolute_url(),
        reverse("coproduction:catalogue"),
        reverse("coproduction:enabler_edit", args=[enabler.key]),
        w.task.get_absolute_url(),  # its suggestions
        _cp("resource_add", w, w.task.pk, "enabler"),
    ]


def _new_enabler_to_withdraw(w, i) -> str:
    (enabler,) = make_enablers(1, start=1000 + i)
    return reverse("coproduction:enabler_withdraw", args=[enabler.key])


def _governance_data(w, v, i) -> dict:
    return {
        "model": "public_civil_partnership",
        "participants": ["civil_society", "citizens"],
        "decision": "owners",
        "owners_weight": "",
        "jury_weight": "",
        "public_weight": "",
        "intellectual_property": v,
        "agreement": v,
        "reason": v,
    }


def _amending(w) -> str:
    """The rules page once someone (a team member) has taken part: a change is an amendment."""
    if not w.team.people.exists():
        team_services.team_add_person(actor=w.user, team=w.team, user=UserFactory())
    return _cp("governance_edit", w)


CASES = [
    Case(
        "signup",
        lambda w, i: reverse("account_signup"),
        lambda w, v, i: {
            "email": f"new.person{i}@example.org",
            "display_name": v,
            "password1": "a-long-and-unusual-passphrase",
            "password2": "a-long-and-unusual-passphrase",
        },
        lambda w: [],
        limit=120,
        anonymous=True,
    ),
    Case(
        "profile",
        lambda w, i: reverse("profile"),
        lambda w, v, i: {"display_name": v, "preferred_language": "en"},
        lambda w: [reverse("profile"), w.commitment.get_absolute_url()],
        limit=120,
    ),
    Case(
        "member_details",
        lambda w, i: reverse("members:edit", args=[w.member.slug]),
        lambda w, v, i: {
            "name": v,
            "region": "europe",
            "cohort": "",
            "lead_agency": v,
            "website": "",
        },
        _member_pages,
    ),
    Case(
        "member_status",
        lambda w, i: reverse("members:status", args=[w.member.slug]),
        lambda w, v, i: {"status": "active", "reason": v},
        lambda w: [reverse("members:detail", args=[w.member.slug])],
    ),
    Case(
        "institution",
        lambda w, i: reverse("members:institution_add", args=[w.member.slug]),
        lambda w, v, i: {"name": v, "kind": "ministry", "website": ""},
        lambda w: [reverse("members:detail", args=[w.member.slug])],
    ),
    Case(
        "onboarding_start",
        lambda w, i: reverse("members:onboarding_start"),
        lambda w, v, i: {
            "kind": "local",
            "name": f"{i} {v}",
            "country": "ES",
            "local_code": "Q"
            + "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[i // 26 % 26]
            + "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[i % 26],
            "parent": "",
            "region": "europe",
            "cohort": "",
            "website": "",
        },
        lambda w: [reverse("members:onboarding_dashboard")],
        limit=190,
    ),
    Case(
        "onboarding_values",
        lambda w, i: reverse("members:onboarding_values", args=[w.onboarding.member.slug]),
        lambda w, v, i: {"passed": "fail", "note": v},
        lambda w: [
            reverse("members:onboarding", args=[w.onboarding.member.slug]),
            reverse("members:onboarding_values", args=[w.onboarding.member.slug]),
        ],
    ),
    Case(
        "onboarding_lead_agency",
        lambda w, i: reverse("members:onboarding_contacts", args=[_local(w)]),
        lambda w, v, i: {"agency-lead_agency": v},
        lambda w: [
            reverse("members:onboarding", args=[_local(w)]),
            reverse("members:onboarding_contacts", args=[_local(w)]),
        ],
    ),
    Case(
        "organisation_new",
        lambda w, i: reverse("members:organisation_new"),
        lambda w, v, i: {
            "name": f"{i} {v}",
            "kind": "cso",
            "country": "LV",
            "website": "",
            "description": v,
        },
        lambda w: [reverse("members:organisations")],
        limit=190,
    ),
    Case(
        "organisation_edit",
        lambda w, i: reverse("members:organisation_edit", args=[w.organisation.slug]),
        lambda w, v, i: {
            "name": v,
            "kind": "cso",
            "country": "LV",
            "website": "",
            "description": v,
        },
        lambda w: [
            reverse("members:organisation", args=[w.organisation.slug]),
            reverse("members:organisations"),
        ],
    ),
    Case(
        "organisation_rename",
        lambda w, i: _new_rename(w, i),
        lambda w, v, i: {"decision": "refuse", "reason": v},
        lambda w: [reverse("members:organisation", args=[w.organisation.slug])],
    ),
    Case(
        "membership_request",
        lambda w, i: reverse(
            "members:organisation_join", args=[OrganisationFactory(name=f"Watch {i}").slug]
        ),
        lambda w, v, i: {"message": v},
        lambda w: [
            reverse("members:organisation", args=[o.slug])
            for o in Organisation.objects.filter(name__startswith="Watch ")
        ],
    ),
    Case(
        "forum_rules",
        lambda w, i: reverse("members:forum_rules", args=[w.member.slug]),
        lambda w, v, i: {"forum_rules": v},
        _forum_pages,
    ),
    Case(
        "forum_seat",
        lambda w, i: reverse("members:forum_seat_add", args=[w.member.slug]),
        lambda w, v, i: {
            "name": v,
            "sector": "civil_society",
            "affiliation": v,
            "position": v,
            "joined_on": "2026-01-01",
            "left_on": "",
        },
        lambda w: [
            *_forum_pages(w),
            *(
                reverse("members:forum_seat_edit", args=[w.member.slug, pk])
                for pk in ForumSeat.objects.values_list("pk", flat=True)[:1]
            ),
        ],
    ),
    Case(
        "forum_meeting",
        lambda w, i: reverse("members:forum_meeting_add", args=[w.member.slug]),
        lambda w, v, i: {
            "held_on": "2026-02-01",
            "title": v,
            "agenda": v,
            "minutes": v,
            "decisions": v,
            "attendance_government": "3",
            "attendance_civil_society": "4",
            "attendance_other": "0",
        },
        lambda w: [
            *_forum_pages(w),
            *(
                reverse("members:forum_meeting_edit", args=[w.member.slug, pk])
                for pk in ForumMeeting.objects.values_list("pk", flat=True)[:1]
            ),
        ],
    ),
    Case(
        "repository_document",
        lambda w, i: reverse("members:document_add", args=[w.member.slug]),
        lambda w, v, i: {
            "title": v,
            "kind": "report",
            "dated": "2026-03-01",
            "url": "https://example.org/doc",
        },
        lambda w: [
            reverse("members:repository", args=[w.member.slug]),
            reverse("members:detail", args=[w.member.slug]),
        ],
    ),
    Case(
        "plan_new",
        lambda w, i: reverse("action_plans:create", args=[w.member.slug]),
        lambda w, v, i: {
            "title": v,
            "language": "en",
            "start_date": f"{2030 + 2 * i}-09-01",
            "end_date": f"{2032 + 2 * i}-08-31",
            "introduction": v,
        },
        lambda w: [reverse("members:detail", args=[w.member.slug])],
    ),
    Case(
        "plan_edit",
        lambda w, i: reverse("action_plans:edit", args=[w.cocreation.identifier]),
        lambda w, v, i: {
            "title": v,
            "language": "en",
            "start_date": "2025-09-01",
            "end_date": "2027-08-31",
            "introduction": v,
        },
        lambda w: [*_plan_pages(w.cocreation), reverse("members:detail", args=[w.member.slug])],
    ),
    Case(
        "plan_withdrawal_reason",
        lambda w, i: _new_plan_in_cocreation(w),
        lambda w, v, i: {"reason": v},
        lambda w: [
            plan.get_absolute_url() for plan in w.member.action_plans.filter(status="withdrawn")
        ],
    ),
    Case(
        "commitment_new",
        lambda w, i: reverse("commitments:create", args=[w.cocreation.identifier]),
        lambda w, v, i: {
            "title": v,
            "short_title": v,
            "problem": v,
            "status_quo": v,
            "description": v,
            "contribution": v,
            "values": ["access_to_information"],
            "values_relevance": v,
            "start_date": "2025-10-01",
            "end_date": "2026-10-01",
            "budget": "",
            "budget_currency": "",
            "status": "active",
        },
        lambda w: [w.cocreation.get_absolute_url(), reverse("commitments:explorer")],
        limit=80,
    ),
    Case(
        "commitment_edit",
        lambda w, i: reverse("commitments:edit", args=[w.commitment.identifier]),
        lambda w, v, i: {
            "title": v,
            "short_title": v,
            "problem": v,
            "status_quo": v,
            "description": v,
            "contribution": v,
            "values": ["access_to_information"],
            "values_relevance": v,
            "lead_institution": w.commitment.lead_institution_id,
            "start_date": "2025-10-01",
            "end_date": "2026-10-01",
            "budget": "1000",
            "budget_currency": "EUR",
            "status": "active",
        },
        lambda w: [
            *_commitment_pages(w.commitment),
            reverse("commitments:changes", args=[w.commitment.identifier]),
        ],
        limit=80,
    ),
    Case(
        "milestone",
        lambda w, i: reverse("commitments:milestone_create", args=[w.commitment.identifier]),
        lambda w, v, i: {
            "title": v,
            "expected_output": v,
            "responsible_institution": "",
            "start_date": "2025-10-01",
            "end_date": "2026-01-31",
        },
        lambda w: [
            w.commitment.get_absolute_url(),
            *(
                reverse("commitments:milestone_edit", args=[w.commitment.identifier, m.pk])
                for m in w.commitment.milestones.order_by("-pk")[:1]
            ),
        ],
    ),
    Case(
        "progress_report",
        lambda w, i: reverse("commitments:progress", args=[w.implemented.identifier]),
        lambda w, v, i: {"milestone": "", "level": "substantial", "narrative": v, **_evidence(v)},
        lambda w: [w.implemented.get_absolute_url()],
    ),
    Case(
        "assessment",
        lambda w, i: reverse("commitments:assessment", args=[w.implemented.identifier]),
        lambda w, v, i: {"early_results": v},
        lambda w: [
            w.implemented.get_absolute_url(),
            reverse("commitments:assessment", args=[w.implemented.identifier]),
        ],
    ),
    Case(
        "consultation",
        lambda w, i: reverse("participation:consultation_create", args=_space(w.quiet)),
        lambda w, v, i: {"title": v, "rules": v, "questions": v, **_consultation_times(i)},
        lambda w: [
            *(
                reverse(name, args=[c.pk])
                for c in Consultation.objects.filter(space_id=w.quiet.pk).order_by("-pk")[:1]
                for name in ("participation:consultation_detail", "participation:consultation_edit")
            ),
            w.quiet.get_absolute_url(),
        ],
    ),
    Case(
        "comment",
        lambda w, i: reverse("participation:comment_post", args=_space(w.commitment)),
        lambda w, v, i: {"body": v},
        lambda w: [
            w.commitment.get_absolute_url(),
            reverse("participation:comments_discussion", args=_space(w.commitment)),
            reverse("participation:register", args=_space(w.cocreation)),
            reverse("participation:register_report", args=_space(w.cocreation)),
        ],
    ),
    Case(
        "reply",
        lambda w, i: reverse("participation:comment_reply", args=[w.comment.pk]),
        lambda w, v, i: {"body": v},
        lambda w: [reverse("participation:comments_discussion", args=_space(w.commitment))],
    ),
    Case(
        "comment_edit",
        lambda w, i: reverse("participation:comment_edit", args=[_new_comment(w, i).pk]),
        lambda w, v, i: {"body": v},
        lambda w: [
            reverse("participation:comments_discussion", args=_space(w.commitment)),
            reverse("participation:comment_edit", args=[w.user.comments.latest("pk").pk]),
        ],
    ),
    Case(
        "comment_report",
        lambda w, i: reverse("participation:comment_report", args=[_others_comment(w, i).pk]),
        lambda w, v, i: {"reason": "spam", "note": v},
        lambda w: [
            reverse("participation:moderation_queue"),
            reverse("participation:moderation_comment", args=[_latest_comment(w).pk]),
        ],
    ),
    Case(
        "moderation_hide",
        lambda w, i: reverse("participation:comment_hide", args=[_others_comment(w, i).pk]),
        lambda w, v, i: {"hide-reason": v},
        lambda w: [
            reverse("participation:comments_discussion", args=_space(w.commitment)),
            reverse("participation:moderation_record"),
        ],
    ),
    Case(
        "moderation_dismiss",
        lambda w, i: reverse(
            "participation:comment_reports_dismiss",
            args=[_others_comment(w, i, reported=True).pk],
        ),
        lambda w, v, i: {"dismiss-reason": v},
        lambda w: [
            reverse("participation:moderation_record"),
            reverse("participation:moderation_comment", args=[_latest_comment(w).pk]),
        ],
    ),
    Case(
        "register_record",
        lambda w, i: reverse("participation:register_record", args=_space(w.cocreation)),
        lambda w, v, i: {
            "source": "meeting",
            "received_on": "2026-01-15",
            "text": v,
            "author_name": v,
            "organisation_name": v,
            "organisation_kind": "cso",
        },
        lambda w: [
            reverse("participation:register", args=_space(w.cocreation)),
            reverse("participation:register_report", args=_space(w.cocreation)),
        ],
    ),
    Case(
        "register_response",
        lambda w, i: reverse("participation:register_respond", args=[_input(w).pk]),
        lambda w, v, i: {"disposition": "not_accepted", "reason": v},
        lambda w: [
            reverse("participation:register", args=_space(w.cocreation)),
            reverse("participation:register_report", args=_space(w.cocreation)),
            reverse("participation:register_respond", args=[_input(w).pk]),
        ],
    ),
    Case(
        "process_new",
        lambda w, i: reverse("coproduction:process_create"),
        lambda w, v, i: {
            "name": v,
            "description": v,
            "language": "en",
            "visibility": "public",
            "lead_member": w.member.pk,
            "schema": "",
        },
        lambda w: [
            _latest(Process).get_absolute_url(),
            reverse("coproduction:processes"),
            reverse("dashboard"),
        ],
    ),
    Case(
        "process_edit",
        lambda w, i: _cp("process_edit", w),
        lambda w, v, i: {"name": v, "description": v, "language": "en", "visibility": "public"},
        _process_pages,
    ),
    Case(
        "item_new",
        lambda w, i: _cp("item_create_inside", w, w.objective.pk),
        _item_data,
        _new_item_pages,
    ),
    Case(
        "item_edit",
        lambda w, i: _cp("item_edit", w, w.task.pk),
        _item_data,
        lambda w: [
            w.task.get_absolute_url(),
            w.process.get_absolute_url(),
            _cp("item_edit", w, w.task.pk),
            _cp("item_changes", w, w.task.pk),
            _cp("item_changes", w, w.objective.pk),
            _cp("item_rights", w, w.task.pk),
            reverse("dashboard"),
        ],
    ),
    Case(
        "team_new",
        lambda w, i: _cp("teams", w),
        lambda w, v, i: {"name": v, "kind": "citizens", "role": "member"},
        lambda w: [
            _cp("teams", w),
            _cp("team", w, _latest(Team).pk),
            w.process.get_absolute_url(),
            _cp("item_rights", w, w.phase.pk),
        ],
    ),
    Case(
        # Never an address of an account: refused, the value shown back in the form.
        "team_person",
        lambda w, i: _cp("team_person_add", w, w.team.pk),
        lambda w, v, i: {"person-email": v},
        lambda w: [_cp("team", w, w.team.pk)],
    ),
    Case(
        # No organisation has these names: refused, the name quoted in the message.
        "team_organisation",
        lambda w, i: _cp("team_organisation_add", w, w.team.pk),
        lambda w, v, i: {"organisation-organisation": v},
        lambda w: [_cp("team", w, w.team.pk)],
    ),
    Case(
        "resource_link",
        lambda w, i: _cp("resource_add", w, w.task.pk, "link"),
        lambda w, v, i: {"title": v, "url": "https://example.org/notes", "description": v},
        _resource_pages,
    ),
    Case(
        "resource_file",
        lambda w, i: _cp("resource_add", w, w.task.pk, "file"),
        lambda w, v, i: {"title": v, "description": v, **_text_file(i)},
        _resource_pages,
    ),
    Case(
        "resource_enabler",
        lambda w, i: _cp("resource_add", w, w.task.pk, "enabler"),
        lambda w, v, i: {"enabler": w.enabler.key, "title": v, "description": v},
        _resource_pages,
    ),
    Case(
        "governance",
        lambda w, i: _cp("governance_edit", w),
        _governance_data,
        lambda w: [
            w.process.get_absolute_url(),
            _cp("governance_edit", w),
            _cp("process_changes", w),
        ],
    ),
    Case(
        "governance_amendment",
        lambda w, i: _amending(w),
        _governance_data,
        lambda w: [w.process.get_absolute_url(), _cp("governance_edit", w)],
    ),
    Case(
        "save_as_schema",
        lambda w, i: _cp("save_as_schema", w),
        lambda w, v, i: {"name": v, "description": v},
        lambda w: [
            reverse("coproduction:schemas"),
            reverse("coproduction:process_create"),
            _cp("save_as_schema", w),
        ],
    ),
    Case(
        "enabler_new",
        lambda w, i: reverse("coproduction:enabler_create"),
        _enabler_data,
        lambda w: _enabler_pages(_latest(Enabler), w),
    ),
    Case(
        "enabler_edit",
        lambda w, i: reverse("coproduction:enabler_edit", args=[w.enabler.key]),
        _enabler_data,
        lambda w: _enabler_pages(w.enabler, w),
    ),
    Case(
        "enabler_withdraw",
        _new_enabler_to_withdraw,
        lambda w, v, i: {"reason": v},
        lambda w: [
            enabler.get_absolute_url()
            for enabler in Enabler.objects.filter(status=Enabler.Status.WITHDRAWN)
        ],
    ),
    Case(
        "enabler_rating",
        lambda w, i: reverse("coproduction:enabler_rate", args=[w.enabler.key]),
        lambda w, v, i: {"stars": "4", "comment": v},
        lambda w: [w.enabler.get_absolute_url()],
    ),
]

# Fields where a few letters of Markdown make links and lists: each payload alone as well.
MARKDOWN_CASES = {"comment", "reply", "comment_edit"}


def _values(case: Case) -> list[tuple[str, str]]:
    values = [(f"batch {n}", value) for n, value in enumerate(corpus.batches(case.limit), 1)]
    if case.name in MARKDOWN_CASES:
        values += [(payload.name, payload.text) for payload in corpus.ALL]
    return [*values, (corpus.NUL.name, corpus.NUL.text), (corpus.LONG.name, corpus.LONG.text)]


def _submit(client, world, case, number, value):
    cache.clear()  # rate limits on posting are not what this test is about
    if case.anonymous:
        client.logout()
    else:
        client.force_login(world.user)
    return client.post(case.url(world, number), case.data(world, value, number))


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_hostile_input_comes_back_inert(client, world, case):
    client.force_login(world.user)
    problems = []
    batch_count = len(corpus.batches(case.limit))
    for number, (label, value) in enumerate(_values(case), 1):
        response = _submit(client, world, case, number, value)
        where = f"{case.name} / {label}"
        if response.status_code == 200:
            if b'class="error-summary"' not in response.content:
                problems.append(f"{where}: 200 without an error summary (not saved, not said)")
            problems += [f"{where} (form again): {p}" for p in html_problems(response.content)]
        elif response.status_code != 302:
            problems.append(f"{where}: status {response.status_code}")
            continue
        shown = ""
        pages = case.pages(world)
        # A payload alone in a Markdown field is checked on the page that renders it; the
        # joined corpus on every page.
        for page in pages if number <= batch_count else pages[:1]:
            answer = client.get(page)
            if answer.status_code != 200:
                problems.append(f"{where}: {page} answers {answer.status_code}")
                continue
            problems += [f"{where}: {page}: {p}" for p in html_problems(answer.content)]
            shown += text_of(answer.content)
        if "\x00" in shown:
            problems.append(f"{where}: a page shows a NUL character")
        saved = response.status_code == 302 and case.pages(world)
        if saved and corpus.LITERAL in value and corpus.LITERAL not in shown:
            problems.append(f"{where}: saved, but {corpus.LITERAL} is not shown as typed")
    assert not problems, "\n".join(problems)


# Each form with a text field people type into, and the cases that post it. A new form fails
# `test_every_form_with_text_is_covered` until it is listed here or in NOT_SHOWN.
COVERED = {
    "action_plans.forms.PlanForm": {"plan_new", "plan_edit"},
    "action_plans.forms.ReasonForm": {"plan_withdrawal_reason"},
    "commitments.forms.ExplorerFilterForm": {"search terms (test_search_terms_come_back_inert)"},
    "commitments.forms.CommitmentForm": {"commitment_new", "commitment_edit"},
    "commitments.forms.MilestoneForm": {"milestone"},
    "commitments.progress_forms.AssessmentForm": {"assessment"},
    "commitments.progress_forms.EvidenceForm": {"progress_report"},
    "commitments.progress_forms.ProgressReportForm": {"progress_report"},
    "ogp_platform.accounts.forms.ProfileForm": {"profile"},
    "ogp_platform.accounts.forms.SignupProfileForm": {"signup"},
    "ogp_platform.accounts.signup.SignupForm": {"signup"},
    "ogp_platform.members.forms.DirectoryFilterForm": {
        "search terms (test_search_terms_come_back_inert)"
    },
    "ogp_platform.members.forms.DocumentForm": {"repository_document"},
    "ogp_platform.members.forms.ForumMeetingForm": {"forum_meeting"},
    "ogp_platform.members.forms.ForumRulesForm": {"forum_rules"},
    "ogp_platform.members.forms.ForumSeatForm": {"forum_seat"},
    "ogp_platform.members.forms.InstitutionForm": {"institution"},
    "ogp_platform.members.forms.LeadAgencyForm": {"onboarding_lead_agency"},
    "ogp_platform.members.forms.MemberDetailsForm": {"member_details"},
    "ogp_platform.members.forms.MemberStartForm": {"onboarding_start"},
    "ogp_platform.members.forms.MembershipRequestForm": {"membership_request"},
    "ogp_platform.members.forms.OrganisationForm": {"organisation_new", "organisation_edit"},
    "ogp_platform.members.forms.RenameDecisionForm": {"organisation_rename"},
    "ogp_platform.members.forms.StatusForm": {"member_status"},
    "ogp_platform.members.forms.ValuesForm": {"onboarding_values"},
    "participation.forms.CommentEditForm": {"comment_edit"},
    "participation.forms.CommentForm": {"comment", "reply"},
    "participation.forms.ConsultationForm": {"consultation"},
    "participation.forms.DismissForm": {"moderation_dismiss"},
    "participation.forms.ModerationForm": {"moderation_hide"},
    "participation.forms.RecordForm": {"register_record"},
    "participation.forms.ReportForm": {"comment_report"},
    "participation.forms.ResponseForm": {"register_response"},
    "use_cases.coproduction.forms.catalogue.CatalogueFilterForm": {
        "search terms (test_search_terms_come_back_inert)"
    },
    "use_cases.coproduction.forms.catalogue.EnablerForm": {"enabler_new", "enabler_edit"},
    "use_cases.coproduction.forms.catalogue.RatingForm": {"enabler_rating"},
    "use_cases.coproduction.forms.catalogue.WithdrawForm": {"enabler_withdraw"},
    "use_cases.coproduction.forms.governance.GovernanceForm": {
        "governance",
        "governance_amendment",
    },
    "use_cases.coproduction.forms.governance.SaveAsSchemaForm": {"save_as_schema"},
    "use_cases.coproduction.forms.processes.ItemForm": {"item_new", "item_edit"},
    "use_cases.coproduction.forms.processes.ProcessCreateForm": {"process_new"},
    "use_cases.coproduction.forms.processes.ProcessDetailsForm": {"process_edit"},
    "use_cases.coproduction.forms.resources.EnablerResourceForm": {"resource_enabler"},
    "use_cases.coproduction.forms.resources.FileResourceForm": {"resource_file"},
    "use_cases.coproduction.forms.resources.LinkResourceForm": {"resource_link"},
    "use_cases.coproduction.forms.teams.OrganisationForm": {"team_organisation"},
    "use_cases.coproduction.forms.teams.PersonForm": {"team_person"},
    "use_cases.coproduction.forms.teams.TeamForm": {"team_new"},
}
# Forms whose text is never shown back on a page, or is checked elsewhere.
NOT_SHOWN = {
    "ogp_platform.accounts.forms.AccountDeleteForm": "a password, never shown",
    "ogp_platform.members.forms.InvitationForm": "an email address (EmailField); its mail is "
    "checked by test_member_emails_have_one_line_subjects",
    "ogp_platform.audit.forms.AuditFilterForm": "a search over the audit log, for OGP admins",
}
PROJECT_PACKAGES = ("ogp_platform", "action_plans", "commitments", "participation", "use_cases")


def _project_forms_with_text() -> set[str]:
    """Every form class of the project with a visible text field (its views are imported by
    resolving the URLs)."""
    from django import forms
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - imports every view module, and their forms

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    found = set()
    for form in subclasses(forms.BaseForm):
        if not form.__module__.startswith(PROJECT_PACKAGES):
            continue
        if any(
            isinstance(f, forms.CharField) and not isinstance(f.widget, forms.HiddenInput)
            for f in form.base_fields.values()
        ):
            found.add(f"{form.__module__}.{form.__name__}")
    return found


def test_every_form_with_text_is_covered():
    names = {case.name for case in CASES}
    for form, cases in COVERED.items():
        assert cases <= names | {"search terms (test_search_terms_come_back_inert)"}, form
    assert _project_forms_with_text() <= set(COVERED) | set(NOT_SHOWN)


# --- Names and titles: one line of visible text -------------------------------------------------

# The forms' fields that hold a name or a title (shown inline, in emails, in the PDF).
NAME_FIELDS = {
    "signup": ["display_name"],
    "profile": ["display_name"],
    "member_details": ["name", "lead_agency"],
    "institution": ["name"],
    "onboarding_start": ["name"],
    "onboarding_lead_agency": ["agency-lead_agency"],
    "organisation_new": ["name"],
    "organisation_edit": ["name"],
    "forum_seat": ["name", "affiliation", "position"],
    "forum_meeting": ["title"],
    "repository_document": ["title"],
    "plan_new": ["title"],
    "plan_edit": ["title"],
    "commitment_new": ["title", "short_title"],
    "commitment_edit": ["title", "short_title"],
    "milestone": ["title"],
    "progress_report": ["evidence-0-title"],
    "consultation": ["title"],
    "register_record": ["author_name", "organisation_name"],
    "process_new": ["name"],
    "process_edit": ["name"],
    "item_new": ["name"],
    "item_edit": ["name"],
    "team_new": ["name"],
    "resource_link": ["title"],
    "resource_file": ["title"],
    "resource_enabler": ["title"],
    "save_as_schema": ["name"],
    "enabler_new": ["name"],
    "enabler_edit": ["name"],
}
PLAIN = "Plain words"


@pytest.mark.parametrize("case", [c for c in CASES if c.name in NAME_FIELDS], ids=lambda c: c.name)
def test_names_and_titles_refuse_control_and_format_characters(client, world, case):
    """A line break (which forged "Bcc:" lines in emails), a direction override (which reversed
    the text after a name) or an invisible character (which made a copy of a name look like
    it) in a name or a title is refused with a message on the field; the same form with plain
    words saves."""
    number = 1
    plain = _submit(client, world, case, number, PLAIN)
    assert plain.status_code == 302, f"{case.name}: plain words are not saved"
    problems = []
    for name in NAME_FIELDS[case.name]:
        for payload in corpus.NOT_IN_A_NAME:
            number += 1
            data = case.data(world, PLAIN, number)
            data[name] = f"{data[name]} {payload.text} end"
            cache.clear()
            if case.anonymous:
                client.logout()
            else:
                client.force_login(world.user)
            response = client.post(case.url(world, number), data)
            page = response.content.decode() if response.status_code == 200 else ""
            if "one line of visible text" not in page:
                problems.append(f"{name} / {payload.name}: {response.status_code}, not refused")
    assert not problems, "\n".join(problems)


def test_every_name_and_title_of_the_models_is_checked():
    """The models hold the rule too (the Django admin, scripts, services' full_clean)."""
    from django.apps import apps

    from ogp_platform.text import validate_single_line

    expected = {
        "accounts.user": {"display_name"},
        "members.member": {"name", "lead_agency"},
        "members.institution": {"name"},
        "members.organisation": {"name"},
        "members.organisationrename": {"new_name"},
        "members.forumseat": {"name", "affiliation", "position"},
        "members.forummeeting": {"title"},
        "members.repositorydocument": {"title"},
        "action_plans.actionplan": {"title"},
        "commitments.commitment": {"title", "short_title"},
        "commitments.milestone": {"title"},
        "commitments.evidence": {"title"},
        "participation.consultation": {"title"},
        "participation.input": {"author_name", "organisation_name"},
        "coproduction.process": {"name"},
        "coproduction.team": {"name"},
        "coproduction.treeitem": {"name"},
        "coproduction.resource": {"title"},
    }
    for label, names in expected.items():
        model = apps.get_model(label)
        for name in names:
            assert validate_single_line in model._meta.get_field(name).validators, (label, name)


def _legacy(obj, **values):
    """Values written before names and titles were checked (or by an import)."""
    type(obj).objects.filter(pk=obj.pk).update(**values)
    obj.refresh_from_db()


RLO = "\u202e"
REVERSED = f"Anna{RLO} Bērziņa"


def test_names_and_titles_from_before_cannot_reorder_the_page(client, world):
    """A direction override stored before the rule (or imported) reverses nothing: every name
    and title shown inline is isolated in <bdi>, without the override."""
    author = UserFactory()
    _legacy(author, display_name=REVERSED)
    _legacy(world.organisation, name=f"Delna{RLO} copy")
    _legacy(world.commitment, title=f"Open contracting{RLO} now")
    OrganisationMembershipFactory(organisation=world.organisation, user=author)
    cache.clear()
    comment_services.comment_post(
        actor=author, target=world.commitment, body="For.", organisation=world.organisation
    )
    client.force_login(world.user)
    pages = [
        world.commitment.get_absolute_url(),
        world.cocreation.get_absolute_url(),
        reverse("participation:comments_discussion", args=_space(world.commitment)),
        reverse("participation:register", args=_space(world.cocreation)),
        reverse("participation:register_report", args=_space(world.cocreation)),
        reverse("members:organisation", args=[world.organisation.slug]),
        reverse("members:organisations"),
        reverse("commitments:explorer"),
    ]
    for page in pages:
        html = client.get(page).content.decode()
        assert RLO not in html, page
    thread = client.get(pages[2]).content.decode()
    assert '<span class="comment__author"><bdi>Anna Bērziņa</bdi></span>' in thread
    assert "<bdi>Delna copy</bdi>" in thread


def test_the_pdf_isolates_names_and_titles(world):
    """The PDF document: titles and names in <bdi>, without direction overrides."""
    _legacy(world.cocreation, title=f"Fifth plan{RLO} of Latvia")
    _legacy(world.commitment, title=f"Open contracting{RLO} now", short_title=f"OC{RLO}")
    _legacy(world.milestone, title=f"Publish{RLO} contracts")
    html = pdf.render_document(world.cocreation, language="en").html
    assert RLO not in html
    for text in ("Fifth plan of Latvia", "Open contracting now", "OC", "Publish contracts"):
        assert f"<bdi>{text}</bdi>" in html, text


# --- Search terms and other query parameters come back in the page ------------------------------

SEARCHES = [
    ("members:directory", "q"),
    ("members:directory", "page"),
    ("commitments:explorer", "q"),
    ("commitments:explorer", "page"),
    ("members:organisations", "q"),
    ("coproduction:catalogue", "q"),
    ("coproduction:catalogue", "page"),
]


@pytest.mark.parametrize("name, parameter", SEARCHES)
def test_search_terms_come_back_inert(client, world, name, parameter):
    """What is typed into a search box (or a page number) is shown back as text, or refused."""
    client.force_login(world.user)
    for value in [*corpus.batches(100), corpus.NUL.text, corpus.LONG.text]:
        response = client.get(reverse(name), {parameter: value})
        assert response.status_code in (200, 400, 404), (name, parameter, value[:40])
        assert html_problems(response.content) == [], (name, parameter, value[:40])


def _query_pages(w) -> list[tuple[str, str]]:
    """Pages and the query parameter each reads itself (not through a form)."""
    return [
        (w.commitment.get_absolute_url(), "comments_page"),
        (reverse("participation:comments_discussion", args=_space(w.commitment)), "comments_page"),
        (reverse("commitments:progress", args=[w.implemented.identifier]), "milestone"),
        (reverse("participation:register_respond", args=[_input(w).pk]), "next"),
        (reverse("members:organisations"), "kind"),
        (reverse("participation:register", args=_space(w.cocreation)), "disposition"),
        (reverse("participation:moderation_queue"), "page"),
        (reverse("action_plans:changes", args=[w.cocreation.identifier]), "page"),
        (reverse("coproduction:processes"), "member"),
        (reverse("coproduction:processes"), "page"),
        (reverse("coproduction:process_create"), "schema"),
        (_cp("process_changes", w), "page"),
        (_cp("resource_add", w, w.task.pk, "enabler"), "q"),
        (_cp("resource_add", w, w.task.pk, "enabler"), "enabler"),
    ]


def test_query_parameters_never_fail(client, world):
    """Every value of the corpus in a query parameter a view reads: a page, or a refusal,
    never a server error, and nothing of it runs."""
    client.force_login(world.user)
    client.raise_request_exception = False
    problems = []
    for url, parameter in _query_pages(world):
        values = [
            *((f"batch {n}", value) for n, value in enumerate(corpus.batches(300), 1)),
            *(
                (p.name, p.text)
                for p in (corpus.by_name("unicode_digits"), corpus.NUL, corpus.LONG)
            ),
        ]
        for label, value in values:
            response = client.get(url, {parameter: value})
            where = f"{url}?{parameter}={label}"
            if response.status_code not in (200, 302, 400, 404):
                problems.append(f"{where}: {response.status_code}")
            elif response.status_code == 200:
                problems += [f"{where}: {p}" for p in html_problems(response.content)]
    assert not problems, "\n".join(problems)


# --- The IRM dataset import: its cells are text people wrote too ------------------------------


def test_imported_cells_come_back_inert(client, world, django_capture_on_commit_callbacks):
    """A dataset whose text cells hold the corpus, imported through the upload page: the pages
    of what it created show it as text, and the open data neutralises its formulas."""
    value = " ".join(corpus.batches(5000))
    row = madrid(
        **{
            "Commitment Title": value,
            "Short Title": corpus.by_name("formula_hyperlink").text,
            "Full Text": value,
            "Lead Institution": '"><img src=x onerror=alert(1)>',
            "Supporting Institution(s)": "<svg onload=alert(1)>; =HYPERLINK(1)",
            "Early Results": value,
        }
    )
    client.force_login(world.user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("commitments:import_upload"),
            {"file": ContentFile(dataset_bytes([row]), name="irm.csv")},
        )
    assert response.status_code == 302
    run = CommitmentImport.objects.get()
    assert run.status == "done", (run.error, run.summary)
    commitment = Commitment.objects.filter(identifier="MAD0005").first()
    assert commitment is not None, json.dumps(run.summary)[:3000]
    pages = [
        response["Location"],
        commitment.get_absolute_url(),
        commitment.plan.get_absolute_url(),
        commitment.plan.member.get_absolute_url(),
        reverse("commitments:explorer"),
    ]
    for page in pages:
        answer = client.get(page)
        assert answer.status_code == 200, page
        assert html_problems(answer.content) == [], page
    assert corpus.LITERAL in text_of(client.get(commitment.get_absolute_url()).content)
    rows = _csv_rows(
        client.get(
            reverse(
                "commitments:plan_commitments",
                kwargs={"plan": commitment.plan.identifier, "fmt": "csv"},
            )
        )
    )
    assert len(rows) == 2 and formula_cells(rows) == []


# --- URL fields: only web addresses -------------------------------------------------------------

URL_PAYLOADS = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    " javascript:alert(1)",
    "java\tscript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "//evil.example/x",
]


@pytest.mark.parametrize("payload", URL_PAYLOADS)
def test_url_fields_refuse_other_schemes(client, world, payload):
    """Links people give (websites, repository documents, evidence) are web addresses: the
    form refuses anything else, and no page links to it."""
    client.force_login(world.user)
    posts = [
        (
            reverse("members:edit", args=[world.member.slug]),
            {
                "name": "Latvia",
                "region": "europe",
                "cohort": "",
                "lead_agency": "",
                "website": payload,
            },
        ),
        (
            reverse("members:institution_add", args=[world.member.slug]),
            {"name": "Ministry", "kind": "ministry", "website": payload},
        ),
        (
            reverse("members:document_add", args=[world.member.slug]),
            {"title": "Doc", "kind": "report", "dated": "2026-03-01", "url": payload},
        ),
        (
            reverse("commitments:progress", args=[world.implemented.identifier]),
            {
                "milestone": "",
                "level": "substantial",
                "narrative": "Done.",
                **_evidence("Report"),
                "evidence-0-url": payload,
            },
        ),
    ]
    for url, data in posts:
        response = client.post(url, data)
        if response.status_code == 302:
            # Saved: then only as a web address (a scheme-less "//host" becomes https).
            continue
        assert response.status_code == 200, url
        assert b'class="error-summary"' in response.content, url
    for page in (
        reverse("members:detail", args=[world.member.slug]),
        reverse("members:repository", args=[world.member.slug]),
        world.implemented.get_absolute_url(),
    ):
        assert html_problems(client.get(page).content) == []


# --- PDF ----------------------------------------------------------------------------------------


def _set(obj, names, value: str) -> None:
    """The value in each field, cut to the field's length (as its form would have refused)."""
    for name in names:
        limit = obj._meta.get_field(name).max_length
        setattr(obj, name, value[:limit] if limit else value)
    obj.save()


def _fill(commitment, milestone, value: str) -> None:
    _set(
        commitment,
        ("title", "short_title", "problem", "status_quo", "description", "contribution"),
        value,
    )
    _set(milestone, ("title", "expected_output"), value)


def _hostile_plan(world, value):
    plan = world.cocreation
    _set(plan, ("title", "introduction"), value)
    _fill(world.commitment, world.milestone, value)
    return plan


@pytest.mark.parametrize("label, value", list(enumerate(corpus.batches(1000), 1)))
def test_pdf_document_html_is_inert(rf, world, label, value):
    """The HTML WeasyPrint lays out holds the hostile text as text."""
    plan = _hostile_plan(world, value)
    html = pdf.render_document(plan, language="en").html
    assert html_problems(html) == []
    if corpus.LITERAL in value:
        assert corpus.LITERAL in text_of(html)


def test_pdf_file_has_no_script_and_no_hostile_link(world):
    """The PDF itself: no JavaScript action, no link to a javascript: address."""
    plan = _hostile_plan(world, " ".join(corpus.batches(5000)))
    data = pdf.write_pdf(pdf.render_document(plan, language="en").html).content
    assert data.startswith(b"%PDF-")
    lowered = data.lower()
    assert b"/javascript" not in lowered
    assert b"/js " not in lowered and b"/js(" not in lowered
    assert b"(javascript" not in lowered
    assert b"/launch" not in lowered


# --- Open data ----------------------------------------------------------------------------------


def _csv_rows(response) -> list[list[str]]:
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(content)))


def _strings(data) -> list[str]:
    """Every string value in a parsed JSON document."""
    if isinstance(data, str):
        return [data]
    if isinstance(data, dict):
        data = list(data.values())
    if isinstance(data, list):
        return [text for item in data for text in _strings(item)]
    return []


def _json(response):
    return json.loads(b"".join(response.streaming_content))


@pytest.mark.parametrize("payload", [*corpus.FORMULAS, corpus.by_name("sql")], ids=lambda p: p.name)
def test_open_data_neutralises_formulas(client, world, payload):
    """Every cell a spreadsheet would run (=, +, -, @, tab, carriage return first) is prefixed
    in the CSV files; the JSON files stay valid and hold the text unchanged."""
    value = payload.text
    _fill(world.commitment, world.milestone, value)
    Input.objects.create(
        space=world.cocreation,
        member=world.member,
        source=Input.Source.EMAIL,
        text=value,
        author_name=value,
        organisation_name=value,
        received_on=datetime.date(2026, 1, 10),
        recorded_by=world.user,
    )
    plan = world.cocreation.identifier
    urls = {
        "explorer": reverse("commitments:explorer_download", kwargs={"fmt": "csv"}),
        "commitments": reverse("commitments:plan_commitments", kwargs={"plan": plan, "fmt": "csv"}),
        "milestones": reverse("commitments:plan_milestones", kwargs={"plan": plan}),
        "register": reverse("commitments:plan_register", kwargs={"plan": plan, "fmt": "csv"}),
    }
    for name, url in urls.items():
        response = client.get(url)
        assert response.status_code == 200, name
        rows = _csv_rows(response)
        assert any(value.strip() in cell for row in rows for cell in row), name
        assert formula_cells(rows) == [], name
    for url in (
        reverse("commitments:explorer_download", kwargs={"fmt": "json"}),
        reverse("commitments:plan_commitments", kwargs={"plan": plan, "fmt": "json"}),
        reverse("commitments:plan_register", kwargs={"plan": plan, "fmt": "json"}),
    ):
        response = client.get(url)
        assert response.status_code == 200
        assert value in _strings(_json(response)), url


def test_open_data_of_the_whole_corpus(client, world):
    """The corpus in every text cell: the CSV parses into the same number of columns on every
    row (no quote or line break breaks out of its cell), the JSON is valid."""
    _fill(world.commitment, world.milestone, " ".join(corpus.batches(5000)))
    plan = world.cocreation.identifier
    rows = _csv_rows(
        client.get(reverse("commitments:plan_commitments", kwargs={"plan": plan, "fmt": "csv"}))
    )
    assert len({len(row) for row in rows}) == 1
    assert len(rows) == 1 + world.cocreation.commitments.count()
    data = _json(
        client.get(reverse("commitments:plan_commitments", kwargs={"plan": plan, "fmt": "json"}))
    )
    assert corpus.LITERAL in json.dumps(data, ensure_ascii=False)


# --- Email --------------------------------------------------------------------------------------


def _sent():
    """The messages the worker delivered (tasks run inline in tests)."""
    return list(mail.outbox)


@pytest.mark.parametrize("payload", [*corpus.HEADERS, *corpus.MARKUP[:3]], ids=lambda p: p.name)
def test_notification_emails_are_plain_and_one_line_subjects(
    world, payload, django_capture_on_commit_callbacks
):
    """A comment whose author's name, target's title and text are hostile: the email has no
    HTML part (or an escaped one), and its subject stays one line."""
    author = UserFactory(display_name=payload.text.replace("\x00", ""))
    world.commitment.title = payload.text
    world.commitment.save()
    with django_capture_on_commit_callbacks(execute=True):
        comment = comment_services.comment_post(
            actor=author, target=world.commitment, body=payload.text
        )
        reply_author = UserFactory(display_name=payload.text)
        comment_services.comment_post(
            actor=reply_author, target=world.commitment, body="A reply.", parent=comment
        )
    messages = _sent()
    assert messages, "the reply notifies the comment's author"
    for message in messages:
        assert header_problems(message) == []
        for content, mimetype in getattr(message, "alternatives", []):
            assert mimetype != "text/html" or html_problems(content) == []


@pytest.mark.parametrize("payload", corpus.HEADERS, ids=lambda p: p.name)
def test_member_emails_have_one_line_subjects(
    client, world, payload, django_capture_on_commit_callbacks
):
    """The invitation names the member and the decision on a request names the organisation in
    the subject: a line break typed into either does not add a header."""
    world.member.name = payload.text
    world.member.save()
    world.organisation.name = payload.text
    world.organisation.save()
    applicant = UserFactory()
    request = OrganisationMembershipFactory(
        organisation=world.organisation,
        user=applicant,
        status=OrganisationMembership.Status.PENDING,
    )
    client.force_login(world.user)
    with django_capture_on_commit_callbacks(execute=True):
        invite = client.post(
            reverse("members:team", args=[world.member.slug]),
            {"email": "new.officer@example.org", "role": "officer"},
        )
        decide = client.post(
            reverse("members:membership_decide", args=[world.organisation.slug, request.pk]),
            {"decision": "approve"},
        )
    assert invite.status_code == 302 and decide.status_code == 302
    messages = _sent()
    assert len(messages) == 2
    for message in messages:
        assert header_problems(message) == []


def _forged_lines(message) -> list[str]:
    """Lines of the body that read as a mail header someone typed into a name."""
    return [
        line
        for line in message.body.splitlines()
        if line.strip().lower().startswith(("bcc:", "cc:", "to:", "from:"))
    ]


@pytest.mark.parametrize("payload", corpus.HEADERS, ids=lambda p: p.name)
def test_names_and_titles_cannot_start_a_line_of_an_email(
    client, world, payload, django_capture_on_commit_callbacks
):
    """Names and titles with a line break, stored before they were checked: the notification
    emails keep each on its line, so no "Bcc:" line appears in their body (the reply names
    its author, their organisation and the commitment; the response names the plan and the
    commitment the input was taken into; the membership decision names the organisation)."""
    forged = payload.text.replace("x", "Eve", 1)
    replier = UserFactory()
    _legacy(replier, display_name=forged)
    _legacy(world.organisation, name=f"Delna{payload.text}")
    _legacy(world.commitment, title=f"Contracts{payload.text}")
    _legacy(world.cocreation, title=f"Fifth plan{payload.text}")
    OrganisationMembershipFactory(organisation=world.organisation, user=replier)
    applicant = OrganisationMembershipFactory(
        organisation=world.organisation, status=OrganisationMembership.Status.PENDING
    )
    client.force_login(world.user)
    with django_capture_on_commit_callbacks(execute=True):
        comment_services.comment_post(
            actor=replier,
            target=world.commitment,
            body="A plain reply.",
            parent=world.comment,
            organisation=world.organisation,
        )
        register_services.input_respond(
            actor=world.user,
            input=_input(world),
            disposition="accepted",
            reason="Taken in.",
            taken_into=world.commitment,
        )
        client.post(
            reverse("members:membership_decide", args=[world.organisation.slug, applicant.pk]),
            {"decision": "approve"},
        )
    messages = _sent()
    assert len(messages) == 3, [m.subject for m in messages]
    for message in messages:
        assert _forged_lines(message) == [], message.subject
        assert header_problems(message) == []
