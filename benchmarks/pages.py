"""Benchmark: the key pages under load, through gunicorn with production settings.

    createdb -h 127.0.0.1 -U postgres ogp_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ogp_bench DJANGO_DEBUG=1 \\
        .venv/bin/python manage.py migrate
    DATABASE_URL=... DJANGO_DEBUG=1 .venv/bin/python manage.py seed_bench --scale 1
    .venv/bin/python benchmarks/pages.py [--seconds 10] [--connections 10] [--workers 4] \\
        [--only home --only "plan page" ...]

It starts gunicorn (production settings: DEBUG off, persistent database connections, the Redis
cache) on 127.0.0.1, loads each page with wrk (Debian's `wrk`) for a fixed time, and prints one
table: page, SQL queries (counted in-process on warm caches, as the server runs them; for
visitors who are not signed in, "rendered/served": the page rendered, then served from the page
cache), requests per second, p50 and p99 latency, and errors (non-2xx/3xx answers and socket
errors; a request unanswered after 10 s is a timeout). Each page is loaded anonymously and
signed in (a session cookie of a seeded user). The load generator, the server and the database
share the machine. Before each page the script waits until the server has worked off the
requests the previous load left queued. `--only TEXT` (repeatable) keeps the pages whose name
contains one of the texts.
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request

from _server import PORT, gunicorn, production_env, setup_django


def pages() -> list[tuple[str, str]]:
    """The pages the issue names, found in the seeded data."""
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import Count

    from action_plans.models import ActionPlan
    from commitments.models import Commitment
    from participation.models import Comment

    plan = (
        ActionPlan.objects.filter(status="cocreation")
        .annotate(n=Count("commitments"))
        .order_by("-n")
        .first()
    )
    if plan is None:
        sys.exit("No benchmark data: run `manage.py seed_bench --scale 1` on this database first.")
    # The commitments' comments (processes and their tasks have some too).
    counts = dict(
        Comment.objects.filter(
            parent=None, target_type=ContentType.objects.get_for_model(Commitment)
        )
        .values_list("target_id")
        .annotate(n=Count("pk"))
        .order_by("-n")[:5000]
    )
    busy = max(counts, key=counts.get)
    quiet = next(pk for pk, n in counts.items() if n == 10)
    commitment = Commitment.objects.select_related("plan__member")
    busy, quiet = commitment.get(pk=busy), commitment.get(pk=quiet)
    return [
        ("home", "/"),
        ("member directory", "/members/"),
        ("member page", plan.member.get_absolute_url()),
        (f"plan page ({plan.commitments.count()} commitments)", plan.get_absolute_url()),
        ("commitment, 10 comments", quiet.get_absolute_url()),
        (f"commitment, {counts[busy.pk]} comments", busy.get_absolute_url()),
        ("explorer, filter + search", "/commitments/?policy_area=open-data&q=contracts"),
        ("reasoned-response report", _report_url(plan)),
        *_coproduction_pages(),
    ]


def _coproduction_pages() -> list[tuple[str, str]]:
    """The co-production process created from INTERLINK's default schema, the big synthetic
    one, and the catalogue of enablers, whole and filtered."""
    from django.urls import reverse

    from use_cases.coproduction.models import Enabler, Process

    process = Process.objects.filter(schema__key="default").first()
    big = Process.objects.filter(slug="bench-process-1").first()
    if process is None or big is None:
        sys.exit("No co-production benchmark data: seed this database again with seed_bench.")
    catalogue = reverse("coproduction:catalogue")
    enablers = Enabler.objects.filter(status=Enabler.Status.PUBLISHED).count()
    return [
        (f"co-production process page ({process.items.count()} items)", process.get_absolute_url()),
        (f"co-production process page ({big.items.count()} items)", big.get_absolute_url()),
        (f"catalogue of enablers ({enablers})", catalogue),
        ("catalogue, filtered + search", f"{catalogue}?q=survey&difficulty=easy"),
    ]


def _report_url(plan) -> str:
    from participation.links import report_url

    return report_url(plan)


def query_counts(urls, cookie_user) -> dict[tuple[str, bool], str]:
    from django.test import Client
    from django.test.utils import override_settings

    result = {}
    for signed_in in (False, True):
        client = Client(HTTP_HOST="127.0.0.1")
        if signed_in:
            client.force_login(cookie_user)
        for _name, url in urls:
            client.get(url)  # warm: content types, sessions… as in a running server
            with override_settings(PAGE_CACHE_SECONDS=0):
                rendered = _count(client, url)
            served = _count(client, url)
            result[(url, signed_in)] = str(served) if served == rendered else f"{rendered}/{served}"
    return result


def _count(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    if response.status_code != 200:
        sys.exit(f"{url} answered {response.status_code}")
    return len(queries)


def session_cookie(user) -> str:
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    return f"sessionid={client.cookies['sessionid'].value}"


def wrk(url: str, seconds: int, connections: int, cookie: str = "") -> dict:
    # wrk's own timeout (2 s) would leave slow requests out of the latencies.
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "--latency"]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    out = subprocess.run(  # noqa: S603 - wrk with our own arguments
        [*command, f"http://127.0.0.1:{PORT}{url}"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout

    def latency(label):
        match = re.search(rf"^\s+{label}%\s+([\d.]+)(us|ms|s)", out, re.M)
        value, unit = float(match.group(1)), match.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    errors = 0
    if match := re.search(r"Non-2xx or 3xx responses: (\d+)", out):
        errors += int(match.group(1))
    if match := re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out
    ):
        errors += sum(int(g) for g in match.groups())
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50": latency("50"),
        "p99": latency("99"),
        "errors": errors,
    }


def settle(seconds: float = 120) -> None:
    """Wait until the server has worked off what the previous load left queued (the sync
    workers still render the requests wrk abandoned): until /healthz, which queues behind them,
    answers at once twice in a row. Slow pages would otherwise eat into the next page's time."""
    quick, deadline = 0, time.monotonic() + seconds
    while quick < 2 and time.monotonic() < deadline:
        started = time.perf_counter()
        with urllib.request.urlopen(f"http://127.0.0.1:{PORT}/healthz", timeout=seconds) as reply:
            reply.read()
        quick = quick + 1 if time.perf_counter() - started < 0.2 else 0
        time.sleep(0.2)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=10)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument(
        "--only",
        action="append",
        default=[],
        metavar="TEXT",
        help="load only the pages whose name contains TEXT (repeatable)",
    )
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: apt-get install wrk")

    static_root = tempfile.mkdtemp(prefix="ogp-bench-static-")
    env = production_env(
        static_root,
        database_url=os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ogp_bench"),
        redis_url=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/3"),
    )
    setup_django(env)
    from django.contrib.auth import get_user_model

    urls = [
        (name, url)
        for name, url in pages()
        if not args.only or any(text in name for text in args.only)
    ]
    if not urls:
        sys.exit(f"No page's name contains {' or '.join(map(repr, args.only))}.")
    user = get_user_model().objects.filter(email__endswith="@bench.ogp.invalid").order_by("pk")[1]
    queries = query_counts(urls, user)
    cookie = session_cookie(user)

    try:
        with gunicorn(env, workers=args.workers):
            rows = []
            # Every worker loads its code and templates before the first page is measured.
            wrk("/", 3, args.connections)
            for name, url in urls:
                for signed_in in (False, True):
                    cookie_header = cookie if signed_in else ""
                    settle()
                    wrk(url, 2, args.connections, cookie_header)  # warm-up
                    result = wrk(url, args.seconds, args.connections, cookie_header)
                    rows.append(
                        (name, "yes" if signed_in else "no", queries[(url, signed_in)], result)
                    )
    finally:
        shutil.rmtree(static_root, ignore_errors=True)

    print(
        f"gunicorn {args.workers} workers, wrk 2 threads × {args.connections} connections, "
        f"{args.seconds} s a page, {os.cpu_count()} cores shared by all"
    )
    header = ("page", "signed in", "SQL", "req/s", "p50 ms", "p99 ms", "errors")
    print("{:38} {:9} {:>5} {:>8} {:>8} {:>8} {:>7}".format(*header))
    for name, signed_in, sql, r in rows:
        print(
            f"{name:38} {signed_in:9} {sql:>5} {r['rps']:>8.1f} {r['p50']:>8.1f} "
            f"{r['p99']:>8.1f} {r['errors']:>7}"
        )


if __name__ == "__main__":
    main()
