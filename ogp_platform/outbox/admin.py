from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import OutboundEmail


class DeliveryFilter(admin.SimpleListFilter):
    title = _("delivery")
    parameter_name = "delivery"

    def lookups(self, request, model_admin):
        return [("sent", _("Sent")), ("unsent", _("Not sent yet")), ("failing", _("Failing"))]

    def queryset(self, request, queryset):
        if self.value() == "sent":
            return queryset.filter(sent_at__isnull=False)
        if self.value() == "unsent":
            return queryset.filter(sent_at__isnull=True)
        if self.value() == "failing":
            return queryset.filter(sent_at__isnull=True).exclude(last_error="")
        return queryset


@admin.register(OutboundEmail)
class OutboundEmailAdmin(admin.ModelAdmin):
    """Read-only: what went out, what waits and why. Rows are written and sent by the outbox."""

    list_display = ["created_at", "subject", "recipients", "sent_at", "attempts", "last_error"]
    list_filter = [DeliveryFilter]
    date_hierarchy = "created_at"
    fields = ["created_at", "message", "sent_at", "claimed_until", "attempts", "last_error"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
