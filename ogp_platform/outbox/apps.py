from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutboxConfig(AppConfig):
    name = "ogp_platform.outbox"
    label = "outbox"
    verbose_name = _("Outgoing mail")

    def ready(self):
        from ogp_platform import pagecache

        from .models import OutboundEmail

        # No page shows the outbox: sending mail must not refresh every cached page.
        pagecache.ignore(OutboundEmail)
