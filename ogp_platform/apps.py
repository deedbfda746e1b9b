from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def sync_site(sender, using="default", **kwargs):
    """Keep the Site row (its name and domain appear in account emails) equal to the settings."""
    from django.conf import settings
    from django.contrib.sites.models import Site

    Site.objects.using(using).update_or_create(
        pk=settings.SITE_ID,
        defaults={"domain": settings.SITE_DOMAIN, "name": settings.SITE_NAME},
    )


class OgpPlatformConfig(AppConfig):
    name = "ogp_platform"
    verbose_name = _("OGP platform")

    def ready(self):
        # post_migrate is sent only for apps with models, which this one has not: listen for the
        # sites app's, after its own handler has made the default example.com row.
        post_migrate.connect(
            sync_site, sender=self.apps.get_app_config("sites"), dispatch_uid="ogp_sync_site"
        )

        from . import page_scopes, pagecache

        page_scopes.register()
        pagecache.connect_signals()
