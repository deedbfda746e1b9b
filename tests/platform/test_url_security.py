"""Every URL of the platform is classified, every state change has a permission matrix, and no
GET changes anything.

Each URL pattern of the project is in exactly one of three tables: READ_ONLY (pages and
downloads), STATE_CHANGING (with the test file, and the test functions, that hold its
permission matrix: anonymous, signed in without the right, with the right) and THIRD_PARTY
(allauth's account pages). The Django admin (its own permission system) is set aside;
uploaded files have no route of their own (views that check permissions serve them). A new
view fails `test_every_url_is_classified_once` until it is classified; a permission test
that is moved or renamed fails `test_every_state_changing_url_has_a_permission_test`, and one
that stops sending its URL a POST fails
`test_every_state_changing_url_is_requested_by_its_permission_test` (which runs last, reading
what the test client recorded: tests/url_requests.py).

`test_no_get_changes_anything` loads the demo data and asks for every URL with GET, with real
arguments, as an anonymous visitor and as the most powerful user there is (a superuser in
every group, point of contact of every member the demo's objects belong to). No request may
change the database (row counts, write statements and callbacks queued after the commit are
all watched) or fail with a server error; all failures are reported at once. The read-only
URLs are also sent a POST, which they refuse.
"""

import datetime
import io
import os
import secrets
import uuid
from types import SimpleNamespace

import pytest
from allauth.account import app_settings
from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.sessions.backends.db import SessionStore
from django.core import mail
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from action_plans.models import ActionPlan, PdfExport
from commitments.models import Commitment, CommitmentImport, Evidence
from ogp_platform.members import services as member_services
from ogp_platform.members.models import (
    ForumMeeting,
    ForumSeat,
    Institution,
    Invitation,
    Member,
    MemberRole,
    Onboarding,
    Organisation,
    OrganisationMembership,
    OrganisationRename,
    RepositoryDocument,
)
from participation.interface import slug_for
from participation.models import Comment, Consultation, Input, Report
from participation.selectors import content_type_of
from participation.services import consultations as consultation_services
from participation.services import notifications as notification_services
from tests import url_requests
from tests.factories import UserFactory
from tests.members.factories import OrganisationFactory
from tests.participation.factories import CommentFactory
from tests.platform.url_inventory import (
    ROOT,
    DatabaseWatch,
    defines_test,
    project_routes,
    reference_parts,
)
from use_cases.coproduction.models import Process, Resource, Team

# --- The tables ------------------------------------------------------------------------------

# Pages and downloads: a GET shows something, nothing changes, and any other method is refused
# with 405 (except where READ_ONLY_ANSWERING_POST says why not).
READ_ONLY = {
    "home",
    "healthz",
    # Only sends to the sign-in page (allauth's, with its limits); a POST is refused.
    "admin_login",
    "dashboard",
    "accounts:data_download",
    "members:directory",
    "members:detail",
    "members:forum",
    "members:repository",
    "members:document_file",
    "members:onboarding_dashboard",
    "members:onboarding",
    "members:onboarding_letter_file",
    "members:organisations",
    "members:organisation",
    "action_plans:detail",
    "action_plans:changes",
    "action_plans:pdf_status",
    "action_plans:pdf_download",
    "commitments:explorer",
    "commitments:detail",
    "commitments:changes",
    "commitments:milestone_changes",
    "commitments:evidence_file",
    "commitments:open_data",
    "commitments:explorer_download",
    "commitments:plan_commitments",
    "commitments:plan_milestones",
    "commitments:plan_register",
    "commitments:import_report",
    "participation:consultation_detail",
    "participation:comments_discussion",
    "participation:moderation_queue",
    "participation:moderation_record",
    "participation:moderation_comment",
    "participation:register",
    "participation:register_report",
    "participation:register_comment",
    # The participation addresses of old (a ContentType id where the model's slug now is):
    # a permanent redirect to the new address, whatever the method (308 keeps a POST a POST).
    "participation:content_type_redirect",
    "audit:log",
    "audit:download",
    "coproduction:catalogue",
    "coproduction:schemas",
    "coproduction:enabler",
    "coproduction:processes",
    "coproduction:process",
    "coproduction:process_changes",
    "coproduction:item",
    "coproduction:item_changes",
    "coproduction:team",
    "coproduction:resource",
    "coproduction:resource_file",
}

READ_ONLY_ANSWERING_POST = {
    "home": "a plain page without a form: it renders the same whatever the method",
}
# Read-only URLs that send a POST on, unchanged, to another address (which decides).
READ_ONLY_FORWARDING_POST = {
    "participation:content_type_redirect": "the address moved: 308 to the new one",
}

MEMBERS_MATRIX = "tests/members/test_permissions.py"
FORUM_MATRIX = "tests/members/test_forum.py"
DRAFTING_MATRIX = "tests/plans/test_drafting_permissions.py"
COMMENTS_MATRIX = "tests/participation/test_comments_views.py"
CONSULTATIONS_MATRIX = "tests/participation/test_consultations_views.py"
VOTES_MATRIX = "tests/participation/test_votes_permissions.py"
MODERATION_MATRIX = "tests/participation/test_moderation_permissions.py"
REGISTER_MATRIX = "tests/participation/test_register_views.py"
NOTIFICATIONS_MATRIX = "tests/participation/test_notifications_views.py"
CATALOGUE_MATRIX = "tests/coproduction/test_catalogue_permissions.py"
PROCESS_MATRIX = "tests/coproduction/test_process_permissions.py"
TEAM_MATRIX = "tests/coproduction/test_team_permissions.py"

# Views that change state (on POST), each with the file, and the prefix of the test functions,
# holding its permission matrix.
STATE_CHANGING = {
    # Anyone may choose a language; a signed-in user's choice is also saved on their account.
    "set_language": ("tests/platform/test_i18n.py", "test_signed_in_choice_becomes"),
    # Only one's own profile: there is no "wrong role", only anonymous and the owner.
    "profile": ("tests/platform/test_accounts.py", "test_profile_requires_login"),
    # Only one's own account, with the password typed again; refused to administrators and to
    # the only point of contact of a member.
    "accounts:delete": ("tests/platform/test_account_data.py", "test_delete_permissions"),
    "members:edit": (MEMBERS_MATRIX, "test_edit_member_details"),
    "members:status": (MEMBERS_MATRIX, "test_change_the_status"),
    "members:institution_add": (MEMBERS_MATRIX, "test_add_an_institution"),
    "members:institution_edit": (MEMBERS_MATRIX, "test_edit_an_institution"),
    "members:team": (MEMBERS_MATRIX, "test_invite_to_the_team"),
    "members:role_remove": (MEMBERS_MATRIX, "test_remove_a_role"),
    "members:invitation_resend": (MEMBERS_MATRIX, "test_resend_an_invitation"),
    "members:invitation_revoke": (MEMBERS_MATRIX, "test_revoke_an_invitation"),
    "members:invitation": (MEMBERS_MATRIX, "test_accept_an_invitation"),
    "members:onboarding_start": (MEMBERS_MATRIX, "test_start_an_onboarding"),
    "members:onboarding_eligibility": (MEMBERS_MATRIX, "test_record_eligibility"),
    "members:onboarding_values": (MEMBERS_MATRIX, "test_record_the_values_check"),
    "members:onboarding_letter": (MEMBERS_MATRIX, "test_record_the_letter_of_intent"),
    "members:onboarding_partners": (MEMBERS_MATRIX, "test_set_the_partners"),
    "members:onboarding_contacts": (MEMBERS_MATRIX, "test_set_the_lead_agency"),
    "members:onboarding_activation": (MEMBERS_MATRIX, "test_activate_a_member"),
    "members:organisation_new": (MEMBERS_MATRIX, "test_register_an_organisation"),
    "members:organisation_edit": (MEMBERS_MATRIX, "test_edit_an_organisation"),
    "members:organisation_join": (MEMBERS_MATRIX, "test_ask_to_join_an_organisation"),
    "members:membership_decide": (MEMBERS_MATRIX, "test_decide_a_membership_request"),
    # Making an administrator and stopping someone being one.
    "members:organisation_admin": (MEMBERS_MATRIX, "test_organisation_administrators_"),
    "members:organisation_verify": (MEMBERS_MATRIX, "test_verify_an_organisation"),
    "members:organisation_rename": (MEMBERS_MATRIX, "test_decide_a_rename"),
    "members:forum_rules": (FORUM_MATRIX, "test_seats_and_rules"),
    "members:forum_seat_add": (FORUM_MATRIX, "test_seats_and_rules"),
    "members:forum_seat_edit": (FORUM_MATRIX, "test_changing_and_removing_forum_records"),
    "members:forum_meeting_add": (FORUM_MATRIX, "test_recording_a_meeting"),
    "members:forum_meeting_edit": (FORUM_MATRIX, "test_changing_and_removing_forum_records"),
    "members:document_add": (FORUM_MATRIX, "test_adding_a_document"),
    "members:document_remove": (FORUM_MATRIX, "test_changing_and_removing_forum_records"),
    "action_plans:create": (DRAFTING_MATRIX, "test_drafting_posts"),
    "action_plans:edit": (DRAFTING_MATRIX, "test_drafting_posts"),
    "action_plans:deadline": (DRAFTING_MATRIX, "test_deadline_is_for_ogp_admins"),
    "action_plans:transition": (DRAFTING_MATRIX, "test_lifecycle_views"),
    # Anyone who may read the plan may export it: the matrix is who may read a draft.
    "action_plans:pdf": ("tests/plans/test_pdf_exports.py", "test_only_those_who_may_read"),
    "action_plans:pdf_retry": ("tests/plans/test_pdf_exports.py", "test_only_those_who_may_read"),
    "action_plans:commitment_pdf": (
        "tests/plans/test_pdf_exports.py",
        "test_only_those_who_may_read",
    ),
    "commitments:create": (DRAFTING_MATRIX, "test_drafting_posts"),
    "commitments:edit": (DRAFTING_MATRIX, "test_drafting_posts"),
    "commitments:delete": (DRAFTING_MATRIX, "test_posting_a_removal"),
    "commitments:move": (DRAFTING_MATRIX, "test_moving_a_commitment"),
    "commitments:milestone_create": (DRAFTING_MATRIX, "test_drafting_posts"),
    "commitments:milestone_edit": (DRAFTING_MATRIX, "test_drafting_posts"),
    "commitments:milestone_delete": (DRAFTING_MATRIX, "test_posting_a_removal"),
    "commitments:milestone_move": (DRAFTING_MATRIX, "test_reordering"),
    "commitments:progress": ("tests/plans/test_progress.py", "test_who_posts_a_report"),
    "commitments:assessment": ("tests/plans/test_assessment.py", "test_who_posts_an_assessment"),
    "commitments:import_upload": ("tests/imports/test_upload.py", "test_permission_matrix"),
    "participation:consultation_create": (CONSULTATIONS_MATRIX, "test_scheduling"),
    "participation:consultation_edit": (CONSULTATIONS_MATRIX, "test_changing_a_consultation"),
    "participation:consultation_open": (CONSULTATIONS_MATRIX, "test_opening_by_hand"),
    "participation:consultation_close": (CONSULTATIONS_MATRIX, "test_closing_by_hand"),
    "participation:comment_post": (COMMENTS_MATRIX, "test_post_permissions"),
    "participation:comment_reply": (COMMENTS_MATRIX, "test_reply_permissions"),
    "participation:comment_edit": (COMMENTS_MATRIX, "test_edit_permissions"),
    "participation:comment_delete": (COMMENTS_MATRIX, "test_delete_permissions"),
    "participation:vote_cast": (VOTES_MATRIX, "test_casting_changing_and_withdrawing"),
    "participation:vote_withdraw": (VOTES_MATRIX, "test_casting_changing_and_withdrawing"),
    "participation:comment_upvote": (VOTES_MATRIX, "test_up_voting_a_comment"),
    "participation:follow": (VOTES_MATRIX, "test_following_and_unfollowing"),
    "participation:unfollow": (VOTES_MATRIX, "test_following_and_unfollowing"),
    "participation:comment_report": (MODERATION_MATRIX, "test_reporting_a_comment"),
    "participation:comment_hide": (MODERATION_MATRIX, "test_hiding_restoring_and_dismissing"),
    "participation:comment_restore": (MODERATION_MATRIX, "test_hiding_restoring_and_dismissing"),
    "participation:comment_reports_dismiss": (
        MODERATION_MATRIX,
        "test_hiding_restoring_and_dismissing",
    ),
    "participation:register_record": (REGISTER_MATRIX, "test_recording_an_input"),
    "participation:register_respond": (REGISTER_MATRIX, "test_responding_to_an_input"),
    "participation:notifications_settings": (NOTIFICATIONS_MATRIX, "test_who_changes_the_setting"),
    # The token in the link is the proof, whoever is signed in (or no one).
    "participation:notifications_unsubscribe": (
        NOTIFICATIONS_MATRIX,
        "test_the_token_unsubscribes_its_owner",
    ),
    "coproduction:enabler_rate": (CATALOGUE_MATRIX, "test_rating_an_enabler"),
    "coproduction:enabler_create": (CATALOGUE_MATRIX, "test_adding_an_enabler"),
    "coproduction:enabler_edit": (CATALOGUE_MATRIX, "test_editing_an_enabler"),
    "coproduction:enabler_withdraw": (CATALOGUE_MATRIX, "test_withdrawing_an_enabler"),
    "coproduction:process_create": (PROCESS_MATRIX, "test_process_and_tree_forms"),
    "coproduction:process_edit": (PROCESS_MATRIX, "test_process_and_tree_forms"),
    "coproduction:process_status": (PROCESS_MATRIX, "test_process_and_tree_forms"),
    "coproduction:process_owners": (
        "tests/coproduction/test_owners.py",
        "test_changing_the_owners",
    ),
    "coproduction:process_owner_remove": (
        "tests/coproduction/test_owners.py",
        "test_changing_the_owners",
    ),
    "coproduction:item_create": (PROCESS_MATRIX, "test_process_and_tree_forms"),
    "coproduction:item_create_inside": (PROCESS_MATRIX, "test_process_and_tree_forms"),
    "coproduction:item_edit": (PROCESS_MATRIX, "test_process_and_tree_forms"),
    "coproduction:item_move": (PROCESS_MATRIX, "test_reordering_the_tree"),
    "coproduction:item_delete": (PROCESS_MATRIX, "test_removing_an_item"),
    "coproduction:item_status": (PROCESS_MATRIX, "test_moving_a_task_along"),
    # The teams page lists the teams and holds the form that creates one.
    "coproduction:teams": (TEAM_MATRIX, "test_creating_a_team"),
    "coproduction:team_person_add": (TEAM_MATRIX, "test_adding_a_person_to_a_team"),
    "coproduction:team_person_remove": (TEAM_MATRIX, "test_taking_a_person_out_of_a_team"),
    "coproduction:team_organisation_add": (TEAM_MATRIX, "test_naming_an_organisation_in_a_team"),
    "coproduction:team_organisation_remove": (
        TEAM_MATRIX,
        "test_taking_an_organisation_out_of_a_team",
    ),
    "coproduction:team_remove": (TEAM_MATRIX, "test_removing_a_team"),
    "coproduction:item_rights": (TEAM_MATRIX, "test_granting_rights_on_an_item"),
    "coproduction:resource_add": (TEAM_MATRIX, "test_adding_a_resource"),
    "coproduction:resource_delete": (TEAM_MATRIX, "test_deleting_a_resource"),
    "coproduction:governance_edit": (
        "tests/coproduction/test_governance.py",
        "test_changing_the_rules_permissions",
    ),
    "coproduction:save_as_schema": (
        "tests/coproduction/test_saved_schemas.py",
        "test_saving_as_a_schema_permissions",
    ),
}

ALLAUTH = "allauth's own view: POST with CSRF for every change, "
ACCOUNTS = "tests/platform/test_accounts.py"
# django-allauth's account pages: its views, its CSRF and POST handling, configured by the
# settings (ACCOUNT_*). Where the platform relies on a limit of its own, the test that shows it.
THIRD_PARTY = {
    "account_login": (ALLAUTH + "login rate limited", (ACCOUNTS, "test_failed_logins_lock")),
    "account_logout": (ALLAUTH + "logout only on POST (ACCOUNT_LOGOUT_ON_GET is off)", None),
    "account_inactive": ("allauth's page for an inactive account: read only", None),
    "account_signup": (ALLAUTH + "sign-up rate limited", (ACCOUNTS, "test_sign_up_rate_limit")),
    "account_reauthenticate": (ALLAUTH + "asks the password again", None),
    "account_request_reauthentication_code": (ALLAUTH + "login by code is off", None),
    "account_confirm_reauthentication_code": (ALLAUTH + "login by code is off", None),
    "account_email": (ALLAUTH + "rate limited by manage_email", None),
    "account_email_verification_sent": ("allauth's notice that a mail was sent: read only", None),
    "account_change_password": (ALLAUTH + "rate limited by change_password", None),
    "account_set_password": (ALLAUTH + "for accounts without a password", None),
    "account_reset_password": (
        ALLAUTH + "reset rate limited per address",
        ("tests/platform/test_url_security.py", "test_password_reset_is_rate_limited"),
    ),
    "account_confirm_login_code": (ALLAUTH + "login by code is off", None),
    "account_confirm_email": (
        ALLAUTH + "confirms on POST only (ACCOUNT_CONFIRM_EMAIL_ON_GET is off)",
        None,
    ),
    "account_reset_password_from_key_done": ("allauth's notice: read only", None),
    "account_reset_password_from_key": (ALLAUTH + "the key in the link is the proof", None),
    "account_reset_password_done": ("allauth's notice: read only", None),
}


# --- Real arguments for every URL, from the demo data ----------------------------------------
#
# Each builder takes the world (see `demo_world`) and returns the URL's keyword arguments, or a
# list of them to ask for several variants.


def _space(obj) -> dict:
    return {"kind": slug_for(obj), "object_id": obj.pk}


def _old_addresses(w) -> list[dict]:
    """Addresses of old, with a content type id: a page, a form, and an unknown type."""
    plan, commitment = w.cocreation, w.cocreation_commitment
    return [
        {
            "area": "comments",
            "content_type_id": content_type_of(plan).pk,
            "object_id": plan.pk,
            "rest": "",
        },
        {
            "area": "votes",
            "content_type_id": content_type_of(commitment).pk,
            "object_id": commitment.pk,
            "rest": "cast/",
        },
        {
            "area": "register",
            "content_type_id": content_type_of(plan).pk,
            "object_id": plan.pk,
            "rest": "report/",
        },
        {
            "area": "consultations/new",
            "content_type_id": content_type_of(plan).pk,
            "object_id": plan.pk,
            "rest": "",
        },
        {
            "area": "follows",
            "content_type_id": content_type_of(w.institution).pk,
            "object_id": 1,
            "rest": "follow/",
        },
    ]


def _member(slug):
    return lambda w: {"slug": slug}


def _plan(attribute):
    return lambda w: {"identifier": getattr(w, attribute).identifier}


def _commitments(w) -> list[dict]:
    """A commitment of each plan: draft, co-creation, implementation and ended."""
    return [{"identifier": c.identifier} for c in w.commitments]


def _milestones(w) -> list[dict]:
    return [{"identifier": m.commitment.identifier, "pk": m.pk} for m in w.milestones]


def _comment(w):
    return {"pk": w.comment.pk}


def _onboardings(w):
    return [{"slug": w.onboarding.member.slug}, {"slug": w.national_onboarding.member.slug}]


def _consultations(w):
    return [{"pk": w.consultation.pk}, {"pk": w.scheduled.pk}]


def _spaces(w):
    return [_space(w.cocreation), _space(w.cocreation_commitment)]


def _enabler(w):
    return {"key": w.cp_resource.enabler.key}


def _process(w):
    return {"slug": w.process.slug}


def _items(w):
    return [{"slug": w.process.slug, "pk": item.pk} for item in w.cp_items]


def _task(w):
    return {"slug": w.process.slug, "task_pk": w.cp_resource.task_id}


def _resources(w):
    return [{**_task(w), "pk": resource.pk} for resource in w.cp_resources]


def _team(w):
    return {"slug": w.process.slug, "pk": w.cp_team.pk}


KWARGS = {
    "members:detail": _member("latvia"),
    "members:edit": _member("latvia"),
    "members:status": _member("latvia"),
    "members:institution_add": _member("latvia"),
    "members:institution_edit": lambda w: {"slug": "latvia", "pk": w.institution.pk},
    "members:team": _member("latvia"),
    "members:forum": _member("latvia"),
    "members:forum_rules": _member("latvia"),
    "members:forum_seat_add": _member("latvia"),
    "members:forum_seat_edit": lambda w: {"slug": "latvia", "pk": w.seat.pk},
    "members:forum_meeting_add": _member("latvia"),
    "members:forum_meeting_edit": lambda w: {"slug": "latvia", "pk": w.meeting.pk},
    "members:repository": _member("latvia"),
    "members:document_add": _member("latvia"),
    "members:document_remove": lambda w: {"slug": "latvia", "pk": w.document.pk},
    "members:document_file": lambda w: {"slug": "latvia", "pk": w.document.pk},
    "members:role_remove": lambda w: {"slug": "latvia", "pk": w.role.pk},
    "members:invitation_resend": lambda w: {"slug": "latvia", "pk": w.invitation.pk},
    "members:invitation_revoke": lambda w: {"slug": "latvia", "pk": w.invitation.pk},
    "members:invitation": lambda w: {"token": w.invitation_token},
    "members:onboarding": _onboardings,
    "members:onboarding_eligibility": _onboardings,
    "members:onboarding_values": _onboardings,
    "members:onboarding_letter": _onboardings,
    "members:onboarding_letter_file": _onboardings,
    "members:onboarding_partners": _onboardings,
    "members:onboarding_contacts": _onboardings,
    "members:onboarding_activation": _onboardings,
    "members:organisation": _member("delna"),
    "members:organisation_edit": _member("delna"),
    "members:organisation_join": _member("delna"),
    "members:membership_decide": lambda w: {"slug": "delna", "pk": w.membership_request.pk},
    "members:organisation_admin": lambda w: {"slug": "delna", "pk": w.delna_speaker.pk},
    "members:organisation_verify": _member("delna"),
    "members:organisation_rename": lambda w: {"slug": "delna", "pk": w.rename.pk},
    "action_plans:create": _member("italy"),
    "action_plans:detail": lambda w: [{"identifier": p.identifier} for p in w.plans],
    "action_plans:edit": lambda w: [{"identifier": p.identifier} for p in w.plans],
    "action_plans:deadline": _plan("draft"),
    "action_plans:transition": lambda w: [
        {"identifier": plan.identifier, "action": action}
        for plan in w.plans
        for action in (
            "open_cocreation",
            "submit",
            "start_implementation",
            "end",
            "withdraw",
            "reopen",
        )
    ],
    "action_plans:changes": lambda w: [{"identifier": p.identifier} for p in w.plans],
    "action_plans:pdf": lambda w: [{"identifier": p.identifier} for p in w.plans],
    "action_plans:pdf_status": lambda w: [
        {"identifier": e.plan.identifier, "export_id": e.pk} for e in w.exports
    ],
    "action_plans:pdf_retry": lambda w: [
        {"identifier": e.plan.identifier, "export_id": e.pk} for e in w.exports
    ],
    "action_plans:pdf_download": lambda w: [
        {"identifier": e.plan.identifier, "export_id": e.pk} for e in w.exports
    ],
    "action_plans:commitment_pdf": _commitments,
    "commitments:create": lambda w: [{"plan": p.identifier} for p in w.plans],
    "commitments:detail": _commitments,
    "commitments:edit": _commitments,
    "commitments:delete": _commitments,
    "commitments:move": _commitments,
    "commitments:changes": _commitments,
    "commitments:milestone_create": _commitments,
    "commitments:milestone_edit": _milestones,
    "commitments:milestone_delete": _milestones,
    "commitments:milestone_move": _milestones,
    "commitments:milestone_changes": _milestones,
    "commitments:progress": _commitments,
    "commitments:assessment": _commitments,
    "commitments:evidence_file": lambda w: {"pk": w.evidence.pk},
    "commitments:explorer_download": lambda w: [{"fmt": "csv"}, {"fmt": "json"}],
    "commitments:plan_commitments": lambda w: [
        {"plan": p.identifier, "fmt": fmt} for p in w.plans for fmt in ("csv", "json")
    ],
    "commitments:plan_milestones": lambda w: [{"plan": p.identifier} for p in w.plans],
    "commitments:plan_register": lambda w: [
        {"plan": w.cocreation.identifier, "fmt": fmt} for fmt in ("csv", "json")
    ],
    "commitments:import_report": lambda w: {"pk": w.commitment_import.pk},
    "participation:consultation_create": _spaces,
    "participation:consultation_detail": _consultations,
    "participation:consultation_edit": _consultations,
    "participation:consultation_open": _consultations,
    "participation:consultation_close": _consultations,
    "participation:comments_discussion": _spaces,
    "participation:comment_post": _spaces,
    "participation:comment_reply": _comment,
    "participation:comment_edit": lambda w: [{"pk": w.comment.pk}, {"pk": w.own_comment.pk}],
    "participation:comment_delete": lambda w: [{"pk": w.comment.pk}, {"pk": w.own_comment.pk}],
    "participation:vote_cast": _spaces,
    "participation:vote_withdraw": _spaces,
    "participation:comment_upvote": _comment,
    "participation:follow": _spaces,
    "participation:unfollow": _spaces,
    "participation:comment_report": _comment,
    "participation:moderation_comment": lambda w: {"pk": w.reported_comment.pk},
    "participation:comment_hide": lambda w: {"pk": w.reported_comment.pk},
    "participation:comment_restore": lambda w: {"pk": w.reported_comment.pk},
    "participation:comment_reports_dismiss": lambda w: {"pk": w.reported_comment.pk},
    "participation:register": _spaces,
    "participation:register_report": _spaces,
    "participation:register_record": _spaces,
    "participation:register_respond": lambda w: [{"pk": w.pending_input.pk}],
    "participation:register_comment": _comment,
    "participation:content_type_redirect": _old_addresses,
    "participation:notifications_unsubscribe": lambda w: {"token": w.unsubscribe_token},
    "coproduction:enabler": _enabler,
    "coproduction:enabler_rate": _enabler,
    "coproduction:enabler_edit": _enabler,
    "coproduction:enabler_withdraw": _enabler,
    "coproduction:process": _process,
    "coproduction:process_edit": _process,
    "coproduction:process_status": _process,
    "coproduction:process_owners": _process,
    "coproduction:process_owner_remove": lambda w: [
        {**_process(w), "kind": "member", "pk": w.process.primary_member_id}
    ],
    "coproduction:process_changes": _process,
    "coproduction:item_create": _process,
    "coproduction:teams": _process,
    "coproduction:governance_edit": _process,
    "coproduction:save_as_schema": _process,
    "coproduction:item": _items,
    "coproduction:item_create_inside": _items,
    "coproduction:item_edit": _items,
    "coproduction:item_move": _items,
    "coproduction:item_delete": _items,
    "coproduction:item_status": _items,
    "coproduction:item_changes": _items,
    "coproduction:item_rights": _items,
    "coproduction:team": _team,
    "coproduction:team_person_add": _team,
    "coproduction:team_organisation_add": _team,
    "coproduction:team_remove": _team,
    "coproduction:team_person_remove": lambda w: {
        **_team(w),
        "user_pk": w.cp_team.people.order_by("pk").first().pk,
    },
    "coproduction:team_organisation_remove": lambda w: {
        **_team(w),
        "organisation_pk": w.cp_team.organisations.order_by("pk").first().pk,
    },
    "coproduction:resource_add": lambda w: [
        {**_task(w), "kind": kind} for kind in ("link", "file", "enabler")
    ],
    "coproduction:resource": _resources,
    "coproduction:resource_file": _resources,
    "coproduction:resource_delete": _resources,
    # allauth's two keyed pages: a key that is not valid shows allauth's "bad link" page.
    "account_confirm_email": lambda w: {"key": "not-a-key"},
    "account_reset_password_from_key": lambda w: {"uidb36": "1", "key": "set-password"},
}

# How a GET may answer: a page or form, a redirect (sign in, a download's status page), a moved
# address, refused, not found (a draft hidden from outsiders), or "use POST".
GET_ANSWERS = {200, 301, 302, 403, 404, 405}


# --- The classification ----------------------------------------------------------------------


def _names():
    routes, _ignored = project_routes()
    return routes


def test_every_url_is_classified_once():
    """A URL that is in no table, in two, or in a table without existing fails, named."""
    routes = _names()
    problems = [f"unnamed URL pattern {r.route!r} ({r.view})" for r in routes if r.name is None]
    names = [r.name for r in routes if r.name]
    problems += [f"{name}: two URL patterns share the name" for name in _duplicates(names)]
    tables = {"READ_ONLY": READ_ONLY, "STATE_CHANGING": STATE_CHANGING, "THIRD_PARTY": THIRD_PARTY}
    for name in names:
        found = [table for table, entries in tables.items() if name in entries]
        if not found:
            problems.append(
                f"{name}: not classified: add it to READ_ONLY or, with its permission test, "
                "to STATE_CHANGING"
            )
        elif len(found) > 1:
            problems.append(f"{name}: in {' and '.join(found)}")
    for table, entries in tables.items():
        problems += [f"{name}: in {table} but no such URL" for name in set(entries) - set(names)]
    problems += [
        f"{name}: allauth's views are third-party, keep them in THIRD_PARTY"
        for name in names
        if name.startswith("account_") and name not in THIRD_PARTY
    ]
    assert not problems, "\n".join(sorted(problems))


def _duplicates(names):
    seen, duplicates = set(), set()
    for name in names:
        (duplicates if name in seen else seen).add(name)
    return duplicates


def test_every_url_with_arguments_has_real_ones():
    """The GET sweep below needs arguments for every URL that takes some, and only for those."""
    problems = []
    for route in _names():
        if route.name is None:
            continue
        if route.parameters and route.name not in KWARGS:
            problems.append(f"{route.name}: takes {sorted(route.parameters)}, no KWARGS builder")
    known = {r.name for r in _names()}
    problems += [f"{name}: KWARGS builder for no URL" for name in set(KWARGS) - known]
    assert not problems, "\n".join(sorted(problems))


def _references():
    """(URL name, test file, function-name prefix) of each permission test the tables name."""
    for name, reference in STATE_CHANGING.items():
        yield (name, *reference_parts(reference))
    for name, (_reason, reference) in THIRD_PARTY.items():
        if reference is not None:
            yield (name, *reference_parts(reference))


def test_every_state_changing_url_has_a_permission_test():
    """The file named for each state-changing URL exists and holds the test functions named;
    each allauth view has its reason."""
    problems = []
    for name, path, prefix in _references():
        file = ROOT / path
        if not file.is_file():
            problems.append(f"{name}: {path} does not exist")
        elif prefix and not defines_test(file.read_text(encoding="utf-8"), prefix):
            problems.append(f"{name}: {path} has no test function starting with {prefix}")
    for name, (reason, _reference) in THIRD_PARTY.items():
        if not reason.strip():
            problems.append(f"{name}: THIRD_PARTY needs a reason")
    assert not problems, "\n".join(sorted(problems))


@pytest.mark.runs_last
def test_every_state_changing_url_is_requested_by_its_permission_test():
    """The tests named for each state-changing URL send it a request that may change something
    (a POST: a page that only mentions the URL's name, or only GETs it, is not its matrix), as
    the test client recorded them (tests/url_requests.py).

    It runs last. The tests named that did not run in this session (this file run alone, a
    selection) are run in a pytest process of their own first."""
    if os.environ.get(url_requests.FILE_VARIABLE):
        pytest.skip("a run started by this test only records what its tests request")
    references = list(_references())

    def unrequested():
        return [
            (name, path, prefix)
            for name, path, prefix in references
            if not url_requests.changing_requests(path, prefix, name)
        ]

    missing, output = unrequested(), ""
    if missing:
        output = url_requests.run_apart({(path, prefix) for _name, path, prefix in missing})
        missing = unrequested()
    assert not missing, "\n".join(
        [
            *(
                f"{name}: no test of {path} starting with {prefix or 'test_'} sends it a POST"
                for name, path, prefix in missing
            ),
            "",
            output,
        ]
    )


def test_allauth_is_configured_as_the_third_party_table_says():
    """The reasons given for allauth's views hold: changes only on POST, limits in place."""
    assert app_settings.LOGOUT_ON_GET is False
    assert app_settings.CONFIRM_EMAIL_ON_GET is False
    assert app_settings.LOGIN_BY_CODE_ENABLED is False
    for action in ("login", "login_failed", "signup", "reset_password", "change_password"):
        assert settings.ACCOUNT_RATE_LIMITS.get(action), action
    assert "django.middleware.csrf.CsrfViewMiddleware" in settings.MIDDLEWARE


@pytest.mark.django_db
def test_password_reset_is_rate_limited(client, django_capture_on_commit_callbacks):
    """allauth counts reset requests per address (ACCOUNT_RATE_LIMITS["reset_password"]): the
    sixth in a minute gets the "too many attempts" page and no mail."""
    user = UserFactory()
    url = reverse("account_reset_password")
    with django_capture_on_commit_callbacks(execute=True):
        statuses = [client.post(url, {"email": user.email}).status_code for _ in range(6)]
    assert statuses == [302] * 5 + [429]
    assert len(mail.outbox) == 5


# --- The database watch ----------------------------------------------------------------------


@pytest.mark.django_db
def test_the_watch_sees_every_kind_of_change():
    """The witnesses of the sweep below: an insert, an update in place and a callback queued
    after the commit are each seen; reading, and saving a session, are not changes."""
    watch = DatabaseWatch()
    organisation = OrganisationFactory()
    assert watch.run(lambda: list(Organisation.objects.all()))[1] == []
    assert watch.run(lambda: SessionStore().save(must_create=True))[1] == []

    _, created = watch.run(lambda: OrganisationFactory())
    assert any(p.startswith("wrote: INSERT") for p in created)
    assert any(p.startswith("members_organisation: ") for p in created)

    _, updated = watch.run(
        lambda: Organisation.objects.filter(pk=organisation.pk).update(name="Renamed")
    )
    assert len(updated) == 1 and updated[0].startswith("wrote: UPDATE")

    _, queued = watch.run(lambda: transaction.on_commit(lambda: None))
    assert queued == ["queued 1 callback(s) to run after the commit"]


# --- Nothing changes on GET ------------------------------------------------------------------

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _most_powerful_user():
    """A superuser in every group of the platform, point of contact of every member the demo's
    plans belong to, who speaks for no organisation (so that joining one stays possible)."""
    user = UserFactory(is_superuser=True, is_staff=True, display_name="Root of all powers")
    for group in ("OGP admins", "Moderators", "IRM assessors"):
        Group.objects.get(name=group).user_set.add(user)
    for slug in ("latvia", "italy", "spain"):
        MemberRole.objects.create(
            member=Member.objects.get(slug=slug),
            user=user,
            role=MemberRole.Role.POINT_OF_CONTACT,
        )
    return user


def demo_world(user) -> SimpleNamespace:
    """The demo's objects the URLs are asked about, plus the few the demo does not have: a
    PDF in the repository, a letter of intent, a national member in onboarding, a pending
    invitation and membership request, PDF exports (one ready, one failed), an import run."""
    w = SimpleNamespace()
    plans = {p.identifier: p for p in ActionPlan.objects.select_related("member")}
    w.draft, w.cocreation = plans["AP_ITA01"], plans["AP_LVA01"]
    w.implementation, w.ended = plans["AP_ESP02"], plans["AP_ESP01"]
    w.plans = [w.draft, w.cocreation, w.implementation, w.ended]
    w.commitments = [
        Commitment.objects.filter(plan=plan).order_by("position", "pk").first() for plan in w.plans
    ]
    w.cocreation_commitment = w.commitments[1]
    w.milestones = [c.milestones.order_by("position", "pk").last() for c in w.commitments]

    latvia = Member.objects.get(slug="latvia")
    w.institution = Institution.objects.filter(member=latvia).first()
    w.seat = ForumSeat.objects.filter(member=latvia).first()
    w.meeting = ForumMeeting.objects.filter(member=latvia).first()
    w.document = RepositoryDocument.objects.create(
        member=latvia,
        title="Minutes with a PDF",
        kind=RepositoryDocument.Kind.MINUTES,
        dated=timezone.localdate(),
        file=ContentFile(PDF, name="minutes.pdf"),
        added_by=user,
    )
    w.role = MemberRole.objects.filter(member=latvia).exclude(user=user).first()
    w.invitation_token = secrets.token_urlsafe(32)
    w.invitation = Invitation.objects.create(
        member=latvia,
        email="invited.officer@example.org",
        role=MemberRole.Role.OFFICER,
        token_digest=Invitation.digest(w.invitation_token),
        invited_by=user,
        expires_at=timezone.now() + datetime.timedelta(days=14),
    )

    w.onboarding = Onboarding.objects.get(member__slug="jurmala")
    w.onboarding.letter_file = ContentFile(PDF, name="letter.pdf")
    w.onboarding.save(update_fields=["letter_file"])
    national = member_services.member_start_onboarding(
        actor=user, kind=Member.Kind.NATIONAL, name="Moldova", country="MD", region="europe"
    )
    w.national_onboarding = national.onboarding

    w.delna_speaker = OrganisationMembership.objects.filter(
        organisation__slug="delna", status=OrganisationMembership.Status.APPROVED
    ).first()
    w.membership_request = OrganisationMembership.objects.create(
        organisation=Organisation.objects.get(slug="delna"),
        user=UserFactory(),
        status=OrganisationMembership.Status.PENDING,
    )
    w.rename = OrganisationRename.objects.create(
        organisation=Organisation.objects.get(slug="delna"),
        old_name="Sabiedrība par atklātību – Delna",
        new_name="Delna – Transparency International Latvia",
        requested_by=UserFactory(),
    )

    w.exports = [
        PdfExport.objects.create(
            plan=w.implementation,
            language="en",
            fingerprint=uuid.uuid4().hex,
            status=PdfExport.Status.READY,
            file=ContentFile(PDF, name="AP_ESP02.pdf"),
            pages=1,
            size=len(PDF),
            finished_at=timezone.now(),
        ),
        PdfExport.objects.create(
            plan=w.draft,
            language="en",
            fingerprint=uuid.uuid4().hex,
            status=PdfExport.Status.FAILED,
            error="The renderer ran out of memory.",
        ),
    ]
    w.evidence = Evidence.objects.exclude(file="").select_related("report").first()
    w.commitment_import = CommitmentImport.objects.create(
        file=ContentFile(b"id,title\n", name="irm.csv"),
        original_name="irm.csv",
        created_by=user,
    )

    w.consultation = Consultation.objects.get(space_id=w.cocreation.pk, closed_at=None)
    # A second one, scheduled after the open one closes, so that "open now" has one to open.
    w.scheduled = consultation_services.consultation_create(
        actor=user,
        space=w.cocreation,
        title="A second round",
        rules="Be kind.",
        questions="What is still missing?",
        opens_at=w.consultation.closes_at + datetime.timedelta(days=7),
        closes_at=w.consultation.closes_at + datetime.timedelta(days=21),
    )
    w.comment = (
        Comment.objects.filter(consultation=w.consultation, parent=None, hidden_at=None)
        .exclude(reports__isnull=False)
        .order_by("pk")
        .first()
    )
    w.reported_comment = Report.objects.select_related("comment").first().comment
    # Written directly: the service's rate limit lives in the cache, which other test runs
    # may share.
    w.own_comment = CommentFactory(
        target=w.cocreation,
        consultation=w.consultation,
        author=user,
        body="My own words, still within the time to edit them.",
    )
    w.pending_input = Input.objects.filter(
        space_id=w.cocreation.pk, disposition=Input.Disposition.PENDING
    ).first()
    w.unsubscribe_token = notification_services.setting_for(user).unsubscribe_token
    # The demo's co-production process: a phase, an objective and a task with its resources (an
    # uploaded file added here), and the team with people and an organisation.
    w.process = Process.objects.get()
    w.cp_resource = Resource.objects.filter(kind=Resource.Kind.ENABLER).first()
    task = w.cp_resource.task
    w.cp_items = [task.parent.parent, task.parent, task]
    w.cp_resources = [
        w.cp_resource,
        Resource.objects.create(
            task=task,
            kind=Resource.Kind.FILE,
            title="Interview notes",
            file=ContentFile(PDF, name="notes.pdf"),
            file_name="notes.pdf",
            created_by=user,
        ),
    ]
    w.cp_team = Team.objects.filter(process=w.process, organisations__isnull=False).first()
    missing = [key for key, value in vars(w).items() if value is None]
    assert not missing, f"the demo data has no {missing}"
    return w


def _urls(route, w) -> list[str]:
    builder = KWARGS.get(route.name)
    if builder is None:
        return [reverse(route.name)]
    variants = builder(w)
    if isinstance(variants, dict):
        variants = [variants]
    return [reverse(route.name, kwargs=kwargs) for kwargs in variants]


def _sweep(client, who, routes, w, watch, method="GET", answers=None):
    """Ask for every URL of `routes`, in every variant, with `method`; return the failures
    (a change, or an answer not in `answers`, by default GET_ANSWERS) and the statuses seen
    per URL name."""
    failures, statuses = [], {}
    for route in routes:
        allowed = GET_ANSWERS if answers is None else answers(route.name)
        for url in _urls(route, w):
            response, changes = watch.run(lambda url=url: client.generic(method, url))
            status = response.status_code
            statuses.setdefault(route.name, set()).add(status)
            where = f"{route.name} {method} {url} as {who}"
            if status not in allowed:
                error = response.exc_info[1] if response.exc_info else ""
                failures.append(f"{where}: answered {status} {error!r}")
            failures += [f"{where}: {change}" for change in changes]
    return failures, statuses


def _post_answers(name):
    if name in READ_ONLY_ANSWERING_POST:
        return {200}
    if name in READ_ONLY_FORWARDING_POST:
        return {308, 404}
    return {405}


@pytest.mark.django_db
def test_no_get_changes_anything(client):
    """Every URL of the project, asked for with GET with real arguments, changes nothing in
    the database and answers without a server error, for an anonymous visitor and for the most
    powerful user; the latter reaches every state-changing view. The read-only ones refuse a
    POST too."""
    call_command("seed_demo", force=True, stdout=io.StringIO())
    user = _most_powerful_user()
    w = demo_world(user)
    routes = [r for r in _names() if r.name]
    watch = DatabaseWatch()
    client.raise_request_exception = False  # a server error is one failure among the others

    failures, _statuses = _sweep(client, "anonymous", routes, w, watch)
    client.force_login(user)
    more, statuses = _sweep(client, "superuser", routes, w, watch)
    failures += more
    # With every right, a state-changing view shows its form, redirects or asks for a POST in
    # at least one of its variants: only refusals would mean the sweep never reached the code
    # that handles a GET.
    failures += [
        f"{name}: the superuser's GETs were all refused ({sorted(statuses[name])})"
        for name in STATE_CHANGING
        if not statuses[name] & {200, 302, 405}
    ]
    read_only = [r for r in routes if r.name in READ_ONLY]
    more, _statuses = _sweep(client, "superuser", read_only, w, watch, "POST", _post_answers)
    failures += more
    assert not failures, f"{len(failures)} failures:\n" + "\n".join(failures)
