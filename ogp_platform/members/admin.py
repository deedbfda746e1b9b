from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Institution,
    Invitation,
    Member,
    MemberRole,
    MemberStatusChange,
    Onboarding,
    OnboardingEvent,
    Organisation,
    OrganisationMembership,
    OrganisationRename,
)


class InstitutionInline(admin.TabularInline):
    model = Institution
    extra = 0


class MemberRoleInline(admin.TabularInline):
    model = MemberRole
    extra = 0
    autocomplete_fields = ["user"]
    fk_name = "member"


class StatusChangeInline(admin.TabularInline):
    """Read-only: status changes go through the platform's form, which records the reason."""

    model = MemberStatusChange
    extra = 0
    can_delete = False
    readonly_fields = ["from_status", "to_status", "reason", "changed_by", "changed_at"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Member)
class MemberAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "country", "region", "status", "date_joined"]
    list_filter = ["kind", "region", "status", "cohort"]
    search_fields = ["name", "country", "local_code"]
    readonly_fields = ["country_alpha3", "status", "status_reason", "status_changed_at"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["organisations"]
    inlines = [InstitutionInline, MemberRoleInline, StatusChangeInline]

    def has_add_permission(self, request):
        # New members come in through the onboarding checklist, which records every step.
        return False


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "country", "verified"]
    list_filter = ["kind", "verified"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(OrganisationRename)
class OrganisationRenameAdmin(SimpleHistoryAdmin):
    """Read only: a rename is decided on the organisation's page, where the service checks that
    the name is still free and records who decided."""

    list_display = ["organisation", "old_name", "new_name", "status", "requested_at"]
    list_filter = ["status"]
    search_fields = ["old_name", "new_name"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(OrganisationMembership)
class OrganisationMembershipAdmin(SimpleHistoryAdmin):
    """Who speaks for which organisation. Who administers one is a role granted on the
    organisation's page (`ogp_platform.roles` records it); not here, where nothing would."""

    list_display = ["organisation", "user", "status", "requested_at"]
    list_filter = ["status"]
    autocomplete_fields = ["user", "organisation"]


class OnboardingEventInline(admin.TabularInline):
    model = OnboardingEvent
    extra = 0
    can_delete = False
    readonly_fields = ["step", "summary", "actor", "created_at"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Onboarding)
class OnboardingAdmin(SimpleHistoryAdmin):
    list_display = ["member", "started_at", "completed_at"]
    readonly_fields = ["member", "started_by", "started_at", "completed_at"]
    inlines = [OnboardingEventInline]


@admin.register(Invitation)
class InvitationAdmin(SimpleHistoryAdmin):
    list_display = [
        "email",
        "member",
        "role",
        "created_at",
        "expires_at",
        "accepted_at",
        "revoked_at",
    ]
    list_filter = ["role"]
    search_fields = ["email", "member__name"]
    exclude = ["token_digest"]
    readonly_fields = ["accepted_at", "accepted_by", "revoked_at", "revoked_by", "send_count"]

    def has_add_permission(self, request):
        # An invitation's link exists only in the email the platform's own form sends.
        return False
