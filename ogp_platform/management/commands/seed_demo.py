"""Demo data for the embedded default: idempotent, safe to run on every start.

The demo accounts are the core's (below); every app's demo data comes from its `demo` module,
found and run in the order of what each needs (`ogp_platform.seeding`).
"""

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from ogp_platform import seeding

# Documented in the README. These accounts exist only where seed_demo ran, which production
# refuses (see handle()).
DEMO_ACCOUNTS = [
    {
        "email": "admin@demo.ogp.example",
        "password": "demo-admin-pass",
        "display_name": "Olga Admin (OGP support unit)",
        "preferred_language": "en",
        "is_staff": True,
        "is_superuser": True,
        "role": "OGP admin",
    },
    {
        "email": "officer@demo.ogp.example",
        "password": "demo-officer-pass",
        "display_name": "Līga Bērziņa",
        "preferred_language": "lv",
        "is_staff": False,
        "is_superuser": False,
        "role": "government officer",  # point of contact of Latvia
    },
    {
        "email": "cso@demo.ogp.example",
        "password": "demo-cso-pass",
        "display_name": "Martina Cortés Núñez",
        "preferred_language": "es",
        "is_staff": False,
        "is_superuser": False,
        "role": "CSO member",  # administrator of Fundación Ciudadana Civio
    },
    {
        "email": "officer.it@demo.ogp.example",
        "password": "demo-officer-it-pass",
        "display_name": "Giulia Romano",
        "preferred_language": "it",
        "is_staff": False,
        "is_superuser": False,
        "role": "officer of Italy",  # point of contact of Italy
    },
    {
        "email": "officer.es@demo.ogp.example",
        "password": "demo-officer-es-pass",
        "display_name": "Javier Ortega Ruiz",
        "preferred_language": "es",
        "is_staff": False,
        "is_superuser": False,
        "role": "officer of Spain",  # point of contact of Spain
    },
]


def seed_accounts() -> list[dict]:
    """Create or refresh the demo accounts with verified email addresses."""
    User = get_user_model()
    for account in DEMO_ACCOUNTS:
        user, _ = User.objects.update_or_create(
            email=account["email"],
            defaults={
                "display_name": account["display_name"],
                "preferred_language": account["preferred_language"],
                "is_staff": account["is_staff"],
                "is_superuser": account["is_superuser"],
                "is_active": True,
            },
        )
        user.set_password(account["password"])
        user.save(update_fields=["password"])
        EmailAddress.objects.update_or_create(
            user=user, email=account["email"], defaults={"verified": True, "primary": True}
        )
    return DEMO_ACCOUNTS


class Command(BaseCommand):
    help = "Load the demo data (idempotent). Refuses to run with DEBUG off unless --force."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even with DEBUG off (e.g. a staging deployment).",
        )

    @transaction.atomic
    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_demo creates accounts with published passwords; it runs only with "
                "DJANGO_DEBUG=1, or with --force on a deployment that is not public."
            )
        accounts = seed_accounts()
        users = {a["role"]: get_user_model().objects.get(email=a["email"]) for a in accounts}
        run = seeding.DemoRun(accounts=users)
        seeding.demo.run(run)
        self.stdout.write(self.style.SUCCESS("Demo data loaded. Demo accounts:"))
        for account in accounts:
            self.stdout.write(
                f"  {account['role']:<20} {account['email']:<28} password: {account['password']}"
            )
        for line in run.lines:
            self.stdout.write(f"  {line}")
