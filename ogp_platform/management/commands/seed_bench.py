"""`manage.py seed_bench --scale S`: the benchmark data set, each app's part from its `bench`
module (see ogp_platform/seeding.py)."""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from ogp_platform import pagecache
from ogp_platform.seeding import seed_bench


class Command(BaseCommand):
    help = (
        "Build a synthetic data set for benchmarks with bulk inserts: at scale 1, 80 members, "
        "300 plans, 6,000 commitments (4 milestones each), 20,000 users, 100,000 comments and "
        "300,000 votes. Use a database of its own."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=float, default=1.0)
        parser.add_argument("--seed", type=int, default=2026, help="random seed (repeatable)")

    def handle(self, *args, scale, seed, **options):
        if scale <= 0:
            raise CommandError("--scale must be positive")
        started = time.perf_counter()
        try:
            run = seed_bench(scale, seed=seed, log=lambda m: self.stdout.write(f"  {m}"))
        except ValueError as error:
            raise CommandError(str(error)) from error
        # Written in bulk, past the model signals: no cached page may survive it.
        pagecache.changed(pagecache.EPOCH)
        if connection.vendor == "postgresql":
            # Fresh planner statistics, as autovacuum would gather them in a while: without
            # them the planner guesses one row where there are thousands.
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
        seconds = time.perf_counter() - started
        self.stdout.write(self.style.SUCCESS(f"Seeded scale {scale:g} in {seconds:.1f} s"))
        for key, value in run.named.items():
            self.stdout.write(f"  {key}: {value}")
