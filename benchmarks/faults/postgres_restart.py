"""Fault: PostgreSQL restarted under load. Pages answer a clean 503 while it is down and work
again once it is back, without restarting the web processes.

    .venv/bin/python benchmarks/faults/postgres_restart.py [--down 5] [--before 10] [--after 15]

It runs as root (the cluster runs as the `postgres` system user). It starts a PostgreSQL
cluster of its own on a free port (initdb into a temporary directory; the shared server on 5432
is never touched) and a private Redis, migrates and seeds a small data set, and serves it with
gunicorn under production settings (persistent, health-checked connections). Visitors load the
home page, the member directory, the plan and commitment pages and /healthz, and signed-in
participants post comments, without pause; meanwhile PostgreSQL is stopped (fast shutdown: open
connections are cut), left down for `--down` seconds and started again.

Each answer is counted in the phase it belongs to: before (finished before the stop), during
(overlapping the outage) and after (started once PostgreSQL accepts connections again). It
passes when before and after hold only successful answers (2xx, 3xx), during holds only those
and 503s (the clean page, with Retry-After), and no answer anywhere is another 5xx or a dropped
connection. The server's log is kept in a file whose path is printed.
"""

import argparse
import random
import sys
import threading
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from _server import (
    Browser,
    free_port,
    gunicorn,
    migrate_and_seed,
    private_postgres,
    private_redis,
    production_env,
    setup_django,
    temporary_directory,
)


class Load:
    """Requests without pause from several threads, each answer recorded with its times."""

    def __init__(self, port: int):
        self.port = port
        self.records = []  # (started, finished, path, outcome, retry-after)
        self.lock = threading.Lock()
        self.stopping = threading.Event()

    def visitor(self, paths, seed):
        rng = random.Random(seed)  # noqa: S311 - load generation
        browser = Browser(port=self.port)
        while not self.stopping.is_set():
            path = rng.choice(paths).replace("{random}", f"{rng.randrange(10**9)}")
            self._record(browser, "GET", path, None)

    def participant(self, email, password, comment_path, page, seed):
        browser = Browser(port=self.port)
        browser.sign_in(email, password)
        for n in range(10**9):
            if self.stopping.is_set():
                return
            fields = {"body": f"Remark {seed}-{n} during the restart test.", "next": page}
            self._record(browser, "POST", comment_path, fields)
            browser.messages()

    def _record(self, browser, method, path, fields):
        started = time.monotonic()
        try:
            reply = browser.request(method, path, fields)
            outcome, retry_after = reply.status, reply.headers.get("Retry-After")
            clean = reply.status != 503 or (
                (
                    '<p class="error-page__code">503</p>' in reply.body
                    and "Traceback" not in reply.body
                )
                or path == "/healthz"
            )
            if not clean:
                outcome = "503 without the page"
        except OSError as error:
            outcome, retry_after = f"connection error ({type(error).__name__})", None
        with self.lock:
            self.records.append((started, time.monotonic(), path, outcome, retry_after))


def classify(outcome) -> str:
    if isinstance(outcome, int) and outcome < 400:
        return "2xx/3xx"
    if outcome == 503:
        return "503"
    if isinstance(outcome, int) and outcome >= 500:
        return "other 5xx"
    if isinstance(outcome, int):
        return "4xx"
    return "connection errors" if outcome.startswith("connection") else outcome


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--down", type=float, default=5.0, help="seconds PostgreSQL stays down")
    parser.add_argument("--before", type=float, default=10.0)
    parser.add_argument("--after", type=float, default=15.0)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--visitors", type=int, default=4)
    parser.add_argument("--participants", type=int, default=2)
    args = parser.parse_args()

    with (
        temporary_directory("ogp-fault-") as work,
        private_postgres() as cluster,
        private_redis() as redis_url,
    ):
        static_root = str(Path(work) / "static")
        env = production_env(static_root, database_url=cluster.url("postgres"), redis_url=redis_url)
        print(f"PostgreSQL of our own on port {cluster.port}; seeding …", flush=True)
        migrate_and_seed(env, scale=0.005)
        setup_django(env)
        paths, participants = key_pages(args.participants)
        port = free_port()
        log_path = Path(work).parent / f"ogp-fault-postgres-restart-{port}.log"
        load = Load(port)
        with log_path.open("w") as log, gunicorn(env, workers=args.workers, port=port, log=log):
            threads = [
                threading.Thread(target=load.visitor, args=(paths, i), daemon=True)
                for i in range(args.visitors)
            ] + [
                threading.Thread(target=load.participant, args=(*p, i), daemon=True)
                for i, p in enumerate(participants)
            ]
            for thread in threads:
                thread.start()
            time.sleep(args.before)
            stopped = time.monotonic()
            cluster.stop()
            print(f"PostgreSQL stopped; down for {args.down:g} s …", flush=True)
            time.sleep(args.down)
            cluster.start()
            restarted = time.monotonic()
            print("PostgreSQL started again.", flush=True)
            time.sleep(args.after)
            load.stopping.set()
            for thread in threads:
                thread.join(timeout=70)
        log_text = log_path.read_text()

    passed = report(load.records, stopped, restarted, log_text, log_path)
    sys.exit(0 if passed else 1)


def key_pages(participant_count):
    """Pages that read the database, and signed-in participants with a comment form each."""
    from django.contrib.auth import get_user_model
    from django.db.models import Count

    from action_plans.models import ActionPlan
    from ogp_platform.accounts.bench import PASSWORD
    from participation.selectors import content_type_of

    plan = (
        ActionPlan.objects.filter(status="cocreation")
        .annotate(n=Count("commitments"))
        .order_by("-n")
        .first()
    )
    commitment = plan.commitments.order_by("position")[1]
    paths = [
        "/",
        "/members/",
        plan.member.get_absolute_url(),
        plan.get_absolute_url(),
        commitment.get_absolute_url(),
        # A search nobody made before: never in the page cache, always read from the database.
        "/commitments/?q=contracts+{random}",
        "/healthz",
    ]
    comment_path = f"/comments/{content_type_of(commitment).pk}/{commitment.pk}/post/"
    users = get_user_model().objects.filter(email__endswith="@bench.ogp.invalid").order_by("pk")
    participants = [
        (user.email, PASSWORD, comment_path, commitment.get_absolute_url())
        for user in users[1 : 1 + participant_count]
    ]
    return paths, participants


def report(records, stopped, restarted, log_text, log_path) -> bool:
    phases = {"before": Counter(), "during": Counter(), "after": Counter()}
    during_by_path = Counter()
    first_success_after = None
    retry_after_missing = 0
    for started, finished, path, outcome, retry_after in records:
        if finished < stopped:
            phase = "before"
        elif started > restarted:
            phase = "after"
            if classify(outcome) == "2xx/3xx":
                first_success_after = min(first_success_after or finished, finished)
        else:
            phase = "during"
        phases[phase][classify(outcome)] += 1
        if phase == "during":
            during_by_path[(path.split("?")[0], classify(outcome))] += 1
        if outcome == 503 and not retry_after and path != "/healthz":
            retry_after_missing += 1
    columns = ["2xx/3xx", "503", "other 5xx", "4xx", "connection errors"]
    columns += sorted({k for c in phases.values() for k in c} - set(columns))
    print(f"{'phase':8}" + "".join(f"{c:>20}" for c in columns))
    for phase, counts in phases.items():
        print(f"{phase:8}" + "".join(f"{counts[c]:>20}" for c in columns))
    print("during, by page:")
    for path in sorted({path for path, _kind in during_by_path}):
        counts = ", ".join(f"{k} {n}" for (p, k), n in sorted(during_by_path.items()) if p == path)
        print(f"  {path:40} {counts}")
    if first_success_after is not None:
        print(f"first success {first_success_after - restarted:.2f} s after PostgreSQL was back")
    logged = log_text.count("Database unavailable, answered 503")
    tracebacks = log_text.count("Traceback")
    print(
        f"server log ({log_path}): {logged} lines 'Database unavailable', {tracebacks} tracebacks"
    )

    bad = {k for k in columns if k not in ("2xx/3xx", "503")}
    checks = {
        "before: only successes": not (set(phases["before"]) - {"2xx/3xx"}),
        "during: only successes and clean 503s": not (set(phases["during"]) & bad)
        and phases["during"]["503"] > 0,
        "after: only successes, same web processes": not (set(phases["after"]) - {"2xx/3xx"})
        and phases["after"]["2xx/3xx"] > 0,
        "every 503 page has Retry-After": retry_after_missing == 0,
    }
    for name, ok in checks.items():
        print(f"{'PASS' if ok else 'FAIL'}  {name}")
    return all(checks.values())


if __name__ == "__main__":
    main()
