"""manage.py import_interlink_catalogue FILE [--dry-run] [--user EMAIL]

Import INTERLINK's catalogue (`all.json`: enablers, problem profiles, schemas) and print what was
created, updated, unchanged and skipped, with the reason for every record skipped and every
value left out (`use_cases.coproduction.importer`). Running it again changes nothing. The
catalogue shipped with the platform is `use_cases/coproduction/data/catalogue.json`."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from use_cases.coproduction.importer import ImportFailed, import_catalogue, read_catalogue


class Command(BaseCommand):
    help = "Import INTERLINK's catalogue of enablers, problem profiles and schemas (JSON)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="INTERLINK's catalogue (all.json), UTF-8.")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Run the whole import and roll it back: see what it would do.",
        )
        parser.add_argument(
            "--user",
            metavar="EMAIL",
            help="The account the enablers' history names for this import (default: none).",
        )

    def handle(self, *args, file, dry_run, user, **options):
        actor = None
        if user:
            actor = get_user_model().objects.filter(email__iexact=user).first()
            if actor is None:
                raise CommandError(f"No user with the email address {user}")
        try:
            report = import_catalogue(read_catalogue(file), actor=actor, dry_run=dry_run)
        except ImportFailed as error:
            raise CommandError(str(error)) from error
        if dry_run:
            self.stdout.write(self.style.WARNING("Dry run: nothing was saved."))
        for line in report.lines():
            self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS("Changed." if report.changed else "Nothing changed."))
