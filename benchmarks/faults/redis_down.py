"""Fault: Redis down. Pages still serve, comments, votes and sign-ups still save, and every email
they cause is delivered exactly once after Redis comes back.

    .venv/bin/python benchmarks/faults/redis_down.py [--freeze] [--up 8] [--down 15] [--back 8]
                                                     [--clients 4] [--workers 2]

It recreates a database of its own (`--database-url`, default `ogp_redis_fault` on the local
PostgreSQL), seeds a small data set (a plan in co-creation with an open consultation; three
people follow it and its first commitments, so each comment notifies them), starts a private
Redis (cache, broker; a free port, in memory only), gunicorn under production settings and one
Celery worker whose mail goes to files (Django's file-based backend, one file per email).

Then `--clients` signed-in participants and one person signing up over and over load the site:
pages (home, plan, commitment), comments, votes and sign-ups. Three phases: Redis up (`--up`
seconds), Redis killed (`--down`: SIGKILL, so whatever was queued in it is lost too), Redis
started again, empty (`--back`). After that it waits for the sweep age (a minute) and sends the
two re-queue tasks through the broker, as beat does every minute, until nothing is left unsent;
then once more, to show a second run sends nothing.

It prints, per phase, the answers (2xx, 3xx, 4xx, 5xx, dropped) and the latency (p50, p99, max),
and a table of the emails: verification emails for the sign-ups that were told they succeeded,
notification emails for the notifications recorded, and the outbox, each with what was
delivered, missing and duplicated (counted in the files by Message-ID and by recipient and
subject). It exits non-zero on a 5xx or a dropped connection, a request slower than
`--max-seconds` while Redis is down (a stall: 5 s, 10 s with `--freeze`), or any email missing
or delivered twice.
`--freeze` stops Redis with SIGSTOP instead (it hangs rather than refuses; its data survives).
"""

import argparse
import contextlib
import email
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from _server import (
    ROOT,
    Browser,
    free_port,
    gunicorn,
    migrate_and_seed,
    production_env,
    recreate_database,
    setup_django,
    temporary_directory,
)

FOLLOWERS = 3
SEPARATOR = "-" * 79
ACTIONS = {"page": 50, "comment": 20, "vote": 20}


class Redis:
    """A private redis-server on a fixed port, killed and started again at will."""

    def __init__(self):
        self.port = free_port()
        self.process = None

    def url(self, db: int = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def start(self) -> None:
        self.process = subprocess.Popen(  # noqa: S603 - the system's redis-server
            [
                shutil.which("redis-server") or "redis-server",
                *("--port", str(self.port), "--bind", "127.0.0.1"),
                *("--save", "", "--appendonly", "no"),
            ],
            stdout=subprocess.DEVNULL,
        )
        for _ in range(50):
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", self.port)):
                return
            time.sleep(0.1)
        raise SystemExit("redis-server did not start")

    def kill(self) -> None:
        self.process.kill()
        self.process.wait(timeout=10)

    def freeze(self) -> None:
        """A Redis that hangs: connections stay open, nothing answers."""
        self.process.send_signal(signal.SIGSTOP)

    def thaw(self) -> None:
        self.process.send_signal(signal.SIGCONT)


class Worker:
    """One Celery worker (two pool processes) in a process group of its own."""

    def __init__(self, env: dict, log):
        self.process = subprocess.Popen(  # noqa: S603 - our own Celery worker
            [
                str(ROOT / ".venv/bin/celery"),
                *("-A", "ogp_platform", "worker", "--concurrency=2", "--loglevel=WARNING"),
                *("--without-gossip", "--without-mingle", "--hostname=redis-down@%h"),
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=log,
            start_new_session=True,
        )

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=60)


# --- Load -----------------------------------------------------------------------------------


class Load:
    """What every client saw, by phase: answers and latencies; and the sign-ups told done."""

    def __init__(self):
        self.phase = "up"
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.statuses = defaultdict(Counter)
        self.latencies = defaultdict(list)
        self.errors = []
        self.signed_up = []  # addresses told "verify your address"

    def request(self, browser, method, path, fields=None, *, kind):
        phase = self.phase
        started = time.perf_counter()
        try:
            reply = browser.request(method, path, fields)
        except OSError as error:
            with self.lock:
                self.statuses[phase]["dropped"] += 1
                self.errors.append(f"{phase} {method} {path}: {error}")
            return None
        with self.lock:
            self.statuses[phase][f"{reply.status // 100}xx"] += 1
            self.statuses[phase][kind] += 1
            self.latencies[phase].append(time.perf_counter() - started)
            self.latencies[(phase, kind)].append(time.perf_counter() - started)
            if reply.status >= 500:
                self.errors.append(f"{phase} {method} {path}: {reply.status}")
        return reply


def participant(load, browser, targets, pages, seed):
    import random

    rng = random.Random(seed)  # noqa: S311 - load generation, not secrets
    names, weights = zip(*ACTIONS.items(), strict=True)
    while not load.stop.is_set():
        action = rng.choices(names, weights)[0]
        ct, pk, page = rng.choice(targets)
        if action == "page":
            load.request(browser, "GET", rng.choice(pages), kind="page")
        elif action == "comment":
            body = f"A remark on the plan, number {uuid.uuid4().hex[:8]}."
            load.request(
                browser,
                "POST",
                f"/comments/{ct}/{pk}/post/",
                {"body": body, "next": page},
                kind="comment",
            )
            browser.cookies.pop("messages", None)
        elif pk != targets[0][1]:  # votes are on commitments
            value = rng.choice(["support", "oppose"])
            load.request(browser, "POST", f"/votes/{ct}/{pk}/cast/", {"value": value}, kind="vote")
            browser.cookies.pop("messages", None)
        time.sleep(0.05)


def signing_up(load, password):
    """One newcomer after another, each from an address of its own."""
    for index in range(100_000):
        if load.stop.is_set():
            return
        browser = Browser(f"10.99.{index // 250}.{1 + index % 250}")
        address = f"newcomer-{uuid.uuid4().hex[:10]}@example.org"
        load.request(browser, "GET", "/accounts/signup/", kind="page")
        reply = load.request(
            browser,
            "POST",
            "/accounts/signup/",
            {
                "email": address,
                "display_name": "Newcomer",
                "password1": password,
                "password2": password,
            },
            kind="signup",
        )
        if reply is not None and reply.status == 302:
            with load.lock:
                load.signed_up.append(address)
        time.sleep(0.3)


# --- Checking the mail ----------------------------------------------------------------------


def delivered_mail(mail_dir: Path) -> list:
    """Every message in the file-based backend's files."""
    messages = []
    for path in sorted(mail_dir.glob("*.log")):
        for chunk in path.read_text().split(f"\n{SEPARATOR}\n"):
            if chunk.strip():
                messages.append(email.message_from_string(chunk))
    return messages


def unsent_counts() -> tuple[int, int]:
    """Immediate notifications and outbox rows still unsent."""
    from ogp_platform.outbox.models import OutboundEmail
    from participation.models import Notification, NotificationSetting

    later = [NotificationSetting.Frequency.DAILY, NotificationSetting.Frequency.OFF]
    notifications = (
        Notification.objects.filter(sent_at__isnull=True)
        .exclude(user__notification_setting__frequency__in=later)
        .count()
    )
    return notifications, OutboundEmail.objects.filter(sent_at__isnull=True).count()


def sweep(app, mail_dir, timeout: float) -> list[str]:
    """Send the re-queue tasks as beat does, every few seconds, until nothing is unsent and
    every outbox row has its file; then once more. Returns what it printed."""
    deadline = time.monotonic() + timeout
    rounds = 0
    while time.monotonic() < deadline:
        app.send_task("participation.requeue_unsent_notifications")
        app.send_task("ogp_platform.outbox.requeue")
        rounds += 1
        time.sleep(5)
        notifications, emails = unsent_counts()
        if notifications == 0 and emails == 0:
            break
    time.sleep(5)  # the last deliveries
    before = len(delivered_mail(mail_dir))
    app.send_task("participation.requeue_unsent_notifications")
    app.send_task("ogp_platform.outbox.requeue")
    time.sleep(8)
    after = len(delivered_mail(mail_dir))
    return [
        f"re-queue rounds until nothing was unsent: {rounds}",
        f"emails delivered by one more round: {after - before}",
    ]


def mail_table(load, mail_dir, followers) -> tuple[list, list[str]]:
    """Rows of (what, expected, delivered, missing, delivered twice), and the problems."""
    from ogp_platform.outbox.models import OutboundEmail
    from participation.models import Notification

    messages = delivered_mail(mail_dir)
    by_id = Counter(m["Message-ID"] for m in messages)
    by_recipient = Counter(m["To"] for m in messages)
    by_recipient_subject = Counter((m["To"], m["Subject"]) for m in messages)
    rows = []

    outbox_ids = [row.message["headers"]["Message-ID"] for row in OutboundEmail.objects.all()]
    rows.append(
        (
            "outbox rows (by Message-ID)",
            len(outbox_ids),
            sum(min(by_id[i], 1) for i in outbox_ids),
            sum(1 for i in outbox_ids if by_id[i] == 0),
            sum(1 for i in outbox_ids if by_id[i] > 1),
        )
    )
    stray = sum(n for i, n in by_id.items() if i not in set(outbox_ids))

    signed_up = load.signed_up
    rows.append(
        (
            "sign-up verifications",
            len(signed_up),
            sum(min(by_recipient[a], 1) for a in signed_up),
            sum(1 for a in signed_up if by_recipient[a] == 0),
            sum(1 for a in signed_up if by_recipient[a] > 1),
        )
    )

    addresses = {person.email for person in followers}
    notifications = Notification.objects.filter(user__in=followers)
    to_mail = notifications.filter(skipped=False).count()
    delivered = sum(n for a, n in by_recipient.items() if a in addresses)
    rows.append(
        (
            "notifications",
            to_mail,
            delivered,
            max(0, to_mail - delivered),
            max(0, delivered - to_mail),
        )
    )
    repeated = sum(
        1 for (to, _subject), n in by_recipient_subject.items() if to in addresses and n > 1
    )

    problems = []
    for name, _expected, _delivered, missing, twice in rows:
        if missing:
            problems.append(f"{name}: {missing} missing")
        if twice:
            problems.append(f"{name}: {twice} delivered more than once")
    if stray:
        problems.append(f"{stray} emails delivered that the outbox does not hold")
    unsent = notifications.filter(sent_at__isnull=True).count()
    if unsent:
        problems.append(f"{unsent} notifications still unsent")
    # Several comments on one object give one subject: informative only.
    rows.append(("(same recipient and subject)", "", "", "", repeated))
    return rows, problems


# --- The run --------------------------------------------------------------------------------


def seed():
    from django.contrib.auth import get_user_model

    from action_plans.models import ActionPlan
    from participation.models import Follow
    from participation.selectors import content_type_of

    plan = ActionPlan.objects.filter(status="cocreation").order_by("pk").first()
    commitments = list(plan.commitments.order_by("position")[:4])
    users = list(
        get_user_model().objects.filter(email__endswith="@bench.ogp.invalid").order_by("pk")
    )
    followers = users[-FOLLOWERS:]
    for person in followers:
        for target in (plan, *commitments):
            Follow.objects.get_or_create(
                target_type=content_type_of(target), target_id=target.pk, user=person
            )
    targets = [(content_type_of(t).pk, t.pk, t.get_absolute_url()) for t in (plan, *commitments)]
    return users, followers, targets


def phase_table(load) -> list[str]:
    lines = [
        f"{'phase':<14}{'requests':>9}{'2xx':>6}{'3xx':>6}{'4xx':>6}{'5xx':>6}{'dropped':>8}"
        f"{'p50 ms':>8}{'p99 ms':>8}{'max ms':>8}"
    ]
    for phase in ("up", "down", "back"):
        s, latencies = load.statuses[phase], sorted(load.latencies[phase])
        if not latencies:
            continue
        p50 = statistics.median(latencies) * 1000
        p99 = (
            statistics.quantiles(latencies, n=100, method="inclusive")[98] * 1000
            if len(latencies) > 1
            else p50
        )
        total = sum(s[k] for k in ("2xx", "3xx", "4xx", "5xx", "dropped"))
        lines.append(
            f"{phase:<14}{total:>9}{s['2xx']:>6}{s['3xx']:>6}{s['4xx']:>6}{s['5xx']:>6}"
            f"{s['dropped']:>8}{p50:>8.0f}{p99:>8.0f}{latencies[-1] * 1000:>8.0f}"
        )
        kinds = []
        for kind, name in (("page", "pages"), ("comment", "comments"), ("vote", "votes")):
            of_kind = load.latencies[(phase, kind)]
            if of_kind:
                kinds.append(f"{name} {len(of_kind)} ({statistics.median(of_kind) * 1000:.0f})")
        of_kind = load.latencies[(phase, "signup")]
        if of_kind:
            kinds.append(f"sign-ups {len(of_kind)} ({statistics.median(of_kind) * 1000:.0f})")
        lines.append(f"{'':<14}{', '.join(kinds)}  (p50 ms)")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url", default="postgres://postgres@127.0.0.1:5432/ogp_redis_fault"
    )
    parser.add_argument("--up", type=float, default=8)
    parser.add_argument("--down", type=float, default=15)
    parser.add_argument("--back", type=float, default=8)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--freeze",
        action="store_true",
        help="stop Redis with SIGSTOP (it hangs) instead of killing it (it refuses)",
    )
    parser.add_argument(
        "--max-seconds",
        type=float,
        help="no request may take longer while Redis is down (a stall); default 5, or 10 with "
        "--freeze, where a request that queues a task waits out a 2 s socket timeout and the "
        "others wait for a free gunicorn worker",
    )
    args = parser.parse_args()
    if args.max_seconds is None:
        args.max_seconds = 10 if args.freeze else 5

    redis = Redis()
    redis.start()
    with temporary_directory("ogp-fault-redis-") as work:
        work = Path(work)
        mail_dir = work / "mail"
        mail_dir.mkdir()
        env = production_env(
            str(work / "static"), database_url=args.database_url, redis_url=redis.url()
        )
        env.update(
            REDIS_CACHE_URL=redis.url(1),
            DJANGO_TRUSTED_PROXY_COUNT="1",
            DJANGO_MEDIA_ROOT=str(work / "media"),
            DJANGO_EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
            DJANGO_EMAIL_FILE_PATH=str(mail_dir),
        )
        print(f"Seeding {args.database_url} …", flush=True)
        recreate_database(args.database_url)
        migrate_and_seed(env, scale=0.005)
        setup_django(env)
        from ogp_platform.accounts.bench import PASSWORD
        from ogp_platform.celery import app

        users, followers, targets = seed()
        clients = users[: args.clients]
        pages = ["/", *(path for _ct, _pk, path in targets[:2])]
        load = Load()
        web_log_path = work.parent / f"{work.name}-web.log"
        worker_log_path = work.parent / f"{work.name}-worker.log"
        with web_log_path.open("w") as web_log, worker_log_path.open("w") as worker_log:
            worker = Worker(env, worker_log)
            try:
                with gunicorn(env, workers=args.workers, log=web_log):
                    browsers = []
                    for index, user in enumerate(clients):
                        browser = Browser(f"10.1.0.{index + 1}")
                        browser.sign_in(user.email, PASSWORD)
                        browsers.append(browser)
                    threads = [
                        threading.Thread(
                            target=participant, args=(load, b, targets, pages, i), daemon=True
                        )
                        for i, b in enumerate(browsers)
                    ]
                    threads.append(
                        threading.Thread(
                            target=signing_up,
                            args=(load, "a-long-enough-passphrase-42"),
                            daemon=True,
                        )
                    )
                    for thread in threads:
                        thread.start()
                    print(f"Redis up for {args.up:g} s …", flush=True)
                    time.sleep(args.up)
                    if args.freeze:
                        redis.freeze()
                    else:
                        redis.kill()
                    load.phase = "down"
                    what = "frozen (SIGSTOP)" if args.freeze else "killed"
                    print(f"Redis {what}; load goes on for {args.down:g} s …", flush=True)
                    time.sleep(args.down / 2)
                    health = Browser().request("GET", "/healthz")
                    time.sleep(args.down / 2)
                    if args.freeze:
                        redis.thaw()
                    else:
                        redis.start()
                    restarted = time.monotonic()
                    load.phase = "back"
                    print(f"Redis back; load for {args.back:g} s …", flush=True)
                    time.sleep(args.back)
                    load.stop.set()
                    for thread in threads:
                        thread.join(timeout=30)
                    wait = max(0.0, 62 - (time.monotonic() - restarted))
                    print(f"Waiting {wait:.0f} s for the sweep age, then re-queueing …", flush=True)
                    time.sleep(wait)
                    sweep_lines = sweep(app, mail_dir, timeout=180)
            finally:
                worker.stop()
                with contextlib.suppress(Exception):
                    redis.kill()
        web_log = web_log_path.read_text()
        rows, mail_problems = mail_table(load, mail_dir, followers)

    print()
    print(
        f"{len(clients)} participants + 1 newcomer signing up, gunicorn {args.workers} workers, "
        f"1 Celery worker; Redis up {args.up:g} s, "
        f"{'frozen' if args.freeze else 'killed'} {args.down:g} s, back {args.back:g} s"
    )
    print(*phase_table(load), sep="\n")
    print(f"/healthz while Redis was down: {health.status} {health.body.strip()}")
    print(
        "web log: "
        f"{web_log.count('cache unavailable')} cache warnings (rate-limited), "
        f"{web_log.count('not queued')} emails not queued, "
        f"{web_log.count('Error calling')} notification tasks not queued"
    )
    print(*sweep_lines, sep="\n")
    print()
    print(f"{'email':<30}{'expected':>9}{'delivered':>10}{'missing':>8}{'twice':>7}")
    for name, expected, delivered, missing, twice in rows:
        print(f"{name:<30}{expected!s:>9}{delivered!s:>10}{missing!s:>8}{twice!s:>7}")
    print(f"logs: {web_log_path}, {worker_log_path}")

    checks = {
        "no 5xx and no dropped connection": not load.errors,
        f"no request over {args.max_seconds:g} s while Redis was down": max(
            load.latencies["down"], default=0
        )
        < args.max_seconds,
        "requests were answered while Redis was down": len(load.latencies["down"]) > 0,
        "every email delivered exactly once": not mail_problems,
    }
    for problem in (load.errors[:10] + mail_problems)[:20]:
        print(f"  {problem}")
    for name, ok in checks.items():
        print(f"{'PASS' if ok else 'FAIL'}  {name}")
    sys.exit(0 if all(checks.values()) else 1)


if __name__ == "__main__":
    main()
