from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import ActionPlan, PlanTransition


class PlanTransitionInline(admin.TabularInline):
    """Read-only: the lifecycle moves through the platform's services, which check its rules."""

    model = PlanTransition
    extra = 0
    can_delete = False
    readonly_fields = ["from_status", "to_status", "reason", "actor", "created_at"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(ActionPlan)
class ActionPlanAdmin(SimpleHistoryAdmin):
    list_display = ["identifier", "title", "member", "status", "start_date", "end_date", "is_late"]
    list_filter = ["status", "is_late", "member__kind", "member__region"]
    search_fields = ["identifier", "title", "member__name"]
    list_select_related = ["member"]
    # The status, the ids and the submission follow the lifecycle's services, not free edits.
    readonly_fields = [
        "member",
        "sequence",
        "identifier",
        "status",
        "published_at",
        "submitted_on",
        "is_late",
    ]
    inlines = [PlanTransitionInline]

    def has_add_permission(self, request):
        return False
