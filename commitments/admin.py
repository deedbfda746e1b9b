from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Assessment,
    Commitment,
    CommitmentImport,
    Milestone,
    PolicyArea,
    ProgressReport,
)


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0
    fields = ["title", "responsible_institution", "start_date", "end_date", "completion"]
    raw_id_fields = ["responsible_institution"]


@admin.register(Commitment)
class CommitmentAdmin(SimpleHistoryAdmin):
    list_display = ["identifier", "title", "plan", "status", "completion"]
    list_filter = ["status", "completion", "plan__member__region"]
    search_fields = ["identifier", "title"]
    list_select_related = ["plan"]
    readonly_fields = [
        "plan",
        "identifier",
        "policy_areas_record",
        "supporting_institutions_record",
        "partner_organisations_record",
    ]
    raw_id_fields = ["lead_institution", "supporting_institutions", "partner_organisations"]
    filter_horizontal = ["policy_areas"]
    inlines = [MilestoneInline]

    def has_add_permission(self, request):
        # Ids are handed out in sequence by the service: commitments are added on the plan page.
        return False


@admin.register(PolicyArea)
class PolicyAreaAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position"]


@admin.register(ProgressReport)
class ProgressReportAdmin(admin.ModelAdmin):
    list_display = ["commitment", "milestone", "level", "reported_by", "reported_at"]
    list_select_related = ["commitment", "milestone", "reported_by"]
    raw_id_fields = ["commitment", "milestone", "reported_by"]


@admin.register(Assessment)
class AssessmentAdmin(SimpleHistoryAdmin):
    list_display = ["commitment", "specificity", "potential_impact", "completion_end"]
    raw_id_fields = ["commitment", "assessed_by"]


@admin.register(CommitmentImport)
class CommitmentImportAdmin(admin.ModelAdmin):
    """Imports are started from the upload page; here they are only read."""

    list_display = ["created_at", "original_name", "dry_run", "status", "created_by"]
    list_filter = ["status", "dry_run"]
    list_select_related = ["created_by"]
    readonly_fields = [field.name for field in CommitmentImport._meta.fields]

    def has_add_permission(self, request):
        return False
