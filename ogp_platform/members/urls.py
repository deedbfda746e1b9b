from django.urls import path

from .views import forum, invitations, members, onboarding, organisations

app_name = "members"

urlpatterns = [
    path("members/", members.directory, name="directory"),
    path("members/<slug:slug>/", members.detail, name="detail"),
    path("members/<slug:slug>/edit/", members.edit, name="edit"),
    path("members/<slug:slug>/status/", members.change_status, name="status"),
    path("members/<slug:slug>/institutions/new/", members.institution_form, name="institution_add"),
    path(
        "members/<slug:slug>/institutions/<int:pk>/edit/",
        members.institution_form,
        name="institution_edit",
    ),
    path("members/<slug:slug>/team/", members.team, name="team"),
    path("members/<slug:slug>/forum/", forum.forum_page, name="forum"),
    path("members/<slug:slug>/forum/rules/", forum.forum_rules, name="forum_rules"),
    path("members/<slug:slug>/forum/seats/new/", forum.forum_seat, name="forum_seat_add"),
    path("members/<slug:slug>/forum/seats/<int:pk>/", forum.forum_seat, name="forum_seat_edit"),
    path("members/<slug:slug>/forum/meetings/new/", forum.forum_meeting, name="forum_meeting_add"),
    path(
        "members/<slug:slug>/forum/meetings/<int:pk>/",
        forum.forum_meeting,
        name="forum_meeting_edit",
    ),
    path("members/<slug:slug>/repository/", forum.repository, name="repository"),
    path("members/<slug:slug>/repository/new/", forum.document_add, name="document_add"),
    path(
        "members/<slug:slug>/repository/<int:pk>/remove/",
        forum.document_remove,
        name="document_remove",
    ),
    path(
        "members/<slug:slug>/repository/<int:pk>/file/",
        forum.document_file,
        name="document_file",
    ),
    path("members/<slug:slug>/team/<int:pk>/remove/", members.role_remove, name="role_remove"),
    path(
        "members/<slug:slug>/invitations/<int:pk>/resend/",
        members.invitation_resend,
        name="invitation_resend",
    ),
    path(
        "members/<slug:slug>/invitations/<int:pk>/revoke/",
        members.invitation_revoke,
        name="invitation_revoke",
    ),
    path("invitations/<str:token>/", invitations.invitation, name="invitation"),
    path("onboarding/", onboarding.dashboard, name="onboarding_dashboard"),
    path("onboarding/new/", onboarding.start, name="onboarding_start"),
    path("onboarding/<slug:slug>/", onboarding.checklist, name="onboarding"),
    path(
        "onboarding/<slug:slug>/eligibility/", onboarding.eligibility, name="onboarding_eligibility"
    ),
    path("onboarding/<slug:slug>/values/", onboarding.values, name="onboarding_values"),
    path("onboarding/<slug:slug>/letter/", onboarding.letter, name="onboarding_letter"),
    path(
        "onboarding/<slug:slug>/letter.pdf", onboarding.letter_file, name="onboarding_letter_file"
    ),
    path("onboarding/<slug:slug>/partners/", onboarding.partners, name="onboarding_partners"),
    path("onboarding/<slug:slug>/contacts/", onboarding.contacts, name="onboarding_contacts"),
    path("onboarding/<slug:slug>/activation/", onboarding.activation, name="onboarding_activation"),
    path("organisations/", organisations.directory, name="organisations"),
    path("organisations/new/", organisations.create, name="organisation_new"),
    path("organisations/<slug:slug>/", organisations.detail, name="organisation"),
    path("organisations/<slug:slug>/edit/", organisations.edit, name="organisation_edit"),
    path("organisations/<slug:slug>/join/", organisations.join, name="organisation_join"),
    path(
        "organisations/<slug:slug>/requests/<int:pk>/",
        organisations.decide,
        name="membership_decide",
    ),
    path(
        "organisations/<slug:slug>/people/<int:pk>/administrator/",
        organisations.administrator,
        name="organisation_admin",
    ),
    path("organisations/<slug:slug>/verify/", organisations.verify, name="organisation_verify"),
    path(
        "organisations/<slug:slug>/renames/<int:pk>/",
        organisations.rename,
        name="organisation_rename",
    ),
]
