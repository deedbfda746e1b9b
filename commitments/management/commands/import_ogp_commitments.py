"""manage.py import_ogp_commitments FILE.csv [--dry-run] [--user EMAIL]

Import the IRM's commitments dataset (docs/import.md). Prints the summary: counts per kind and
a note for every row skipped or adjusted. Exits with an error, having written nothing, when the
file cannot be imported at all (not UTF-8, a required column missing, an unknown --user).
Without --user, the import acts as the inactive "IRM import" system account."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from commitments.importer import ImportFailed, import_commitments
from commitments.importer.runs import import_system_user


class Command(BaseCommand):
    help = "Import the OGP IRM commitments dataset (CSV, UTF-8) and print a summary."

    def add_arguments(self, parser):
        parser.add_argument("file", help="The dataset as CSV (UTF-8, with or without BOM).")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Run the whole import and roll it back: see what it would do.",
        )
        parser.add_argument(
            "--user",
            metavar="EMAIL",
            help="The account the import acts as (history, plans' creator, assessor of "
            'record). Default: the inactive "IRM import" system account.',
        )

    def handle(self, *args, file, dry_run, user, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No such file: {file}")
        if user:
            actor = get_user_model().objects.filter(email__iexact=user).first()
            if actor is None:
                raise CommandError(f"No user with the email address {user}")
        else:
            actor = import_system_user()
        try:
            summary = import_commitments(
                source=path, actor=actor, dry_run=dry_run, file_name=path.name
            )
        except ImportFailed as error:
            raise CommandError(str(error)) from error
        if dry_run:
            self.stdout.write(self.style.WARNING("Dry run: nothing was saved."))
        for line in summary.lines():
            self.stdout.write(line)
        self.stdout.write(
            self.style.SUCCESS(
                f"{summary.rows} rows read in {summary.seconds:.1f} s, "
                f"{summary.skipped_rows} skipped."
            )
        )
