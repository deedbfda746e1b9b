"""Fault: the Celery worker killed in the middle of a task. The task is delivered again to the
next worker and its work is done exactly once.

    .venv/bin/python benchmarks/faults/worker_killed.py [--visibility-timeout 20]

It recreates a database of its own (`--database-url`, default `ogp_faults` on the local
PostgreSQL), seeds a small data set with a plan of 60 commitments, and starts a private Redis
as the broker. Then, twice:

1. PDF: the plan's PDF is asked for (as the plan page's button does); a worker takes the
   rendering; once the export says "being prepared", the worker's whole process tree gets
   SIGKILL (nothing is acknowledged, nothing cleaned up). A new worker is started.
2. Notification: someone replies to a participant's comment, which queues the notification
   email; the worker's mail delivery (a test-only backend, `slow_mail.py`, that waits before
   writing the email to a file) is under way when the worker is killed the same way. A new
   worker is started.

With late acknowledgement the broker hands an unacknowledged task to another worker once the
visibility timeout has passed (CELERY_VISIBILITY_TIMEOUT, short here so the run takes a minute;
production uses 15 minutes, see settings). It passes when the export ends ready with one
rendering counted per delivery (2) and exactly one PDF file, and when exactly one email reached
the recipient, including after waiting a further visibility timeout for stray redeliveries.
"""

import argparse
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from _server import (
    ROOT,
    migrate_and_seed,
    private_redis,
    production_env,
    recreate_database,
    setup_django,
    temporary_directory,
)

FAULTS = Path(__file__).resolve().parent


class Worker:
    """A Celery worker (one pool process) in a process group of its own, so that it can be
    killed with its children at once."""

    def __init__(self, env: dict, name: str, log):
        self.process = subprocess.Popen(  # noqa: S603 - our own Celery worker
            [
                str(ROOT / ".venv/bin/celery"),
                "-A",
                "ogp_platform",
                "worker",
                "--concurrency=1",
                "--loglevel=INFO",
                f"--hostname={name}@%h",
                "--without-gossip",
                "--without-mingle",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=log,
            start_new_session=True,
        )

    def kill(self) -> None:
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=60)


def wait_for(condition, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    raise SystemExit(f"Timed out after {timeout:g} s waiting for {what}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/ogp_faults")
    parser.add_argument("--visibility-timeout", type=int, default=20)
    parser.add_argument("--mail-delay", type=float, default=5.0)
    parser.add_argument("--case", choices=["pdf", "notification", "both"], default="both")
    args = parser.parse_args()

    with temporary_directory("ogp-fault-worker-") as work, private_redis() as redis_url:
        work = Path(work)
        env = production_env(
            str(work / "static"), database_url=args.database_url, redis_url=redis_url
        )
        env.update(DJANGO_MEDIA_ROOT=str(work / "media"), DJANGO_LOG_LEVEL="INFO")
        worker_env = {
            **env,
            "CELERY_VISIBILITY_TIMEOUT": str(args.visibility_timeout),
            "PYTHONPATH": str(FAULTS),
            "DJANGO_EMAIL_BACKEND": "slow_mail.SlowFileEmailBackend",
            "FAULT_MAIL_DIR": str(work / "mail"),
            "FAULT_MAIL_DELAY": str(args.mail_delay),
        }
        print(f"Seeding {args.database_url} …", flush=True)
        recreate_database(args.database_url)
        migrate_and_seed(env, scale=0.02)
        setup_django(env)
        log_path = work.parent / f"{work.name}-celery.log"
        # kombu looks for unacknowledged tasks past the timeout about every 100 s.
        wait = args.visibility_timeout + 100 + 120
        checks = {}
        with log_path.open("w") as log:
            if args.case in ("pdf", "both"):
                pdf = pdf_case(worker_env, log, wait, args.visibility_timeout)
                checks.update(
                    {
                        "PDF: ready": pdf["status"] == "ready",
                        "PDF: rendered once per delivery (2 attempts)": pdf["attempts"] == 2,
                        "PDF: exactly one file": pdf["files"] == 1,
                    }
                )
            if args.case in ("notification", "both"):
                mail = notification_case(
                    worker_env, log, wait, args.visibility_timeout, work / "mail"
                )
                checks.update(
                    {
                        "notification: marked sent": mail["sent"],
                        "notification: exactly one email delivered": mail["emails"] == 1,
                    }
                )
        print(f"worker log: {log_path}")

    for name, ok in checks.items():
        print(f"{'PASS' if ok else 'FAIL'}  {name}")
    sys.exit(0 if all(checks.values()) else 1)


def pdf_case(env, log, wait, visibility) -> dict:
    from django.conf import settings

    from action_plans import exports
    from action_plans.models import ActionPlan, PdfExport

    plan = max(ActionPlan.objects.filter(status="cocreation"), key=lambda p: p.commitments.count())
    first = Worker(env, "first", log)
    export = exports.request_pdf(plan=plan, language="en")
    print(f"PDF of {plan.identifier} ({plan.commitments.count()} commitments) queued", flush=True)

    def rendering():
        export.refresh_from_db()
        return export.status == PdfExport.Status.RENDERING

    wait_for(rendering, 120, "the first worker to start rendering")
    time.sleep(1)  # well into WeasyPrint's layout
    first.kill()
    killed = time.monotonic()
    export.refresh_from_db()
    print(f"  first worker killed while the export was '{export.status}'", flush=True)
    second = Worker(env, "second", log)
    try:

        def ready():
            export.refresh_from_db()
            return export.status in (PdfExport.Status.READY, PdfExport.Status.FAILED)

        wait_for(ready, wait, "the export to be ready")
        print(f"  ready {time.monotonic() - killed:.1f} s after the kill", flush=True)
        time.sleep(visibility + 5)  # a stray redelivery would show now
    finally:
        second.stop()
    export.refresh_from_db()
    files = list((Path(settings.MEDIA_ROOT) / "exports" / "pdf").glob("*.pdf"))
    print(
        f"  status {export.status}, attempts {export.attempts}, files {len(files)}, "
        f"{export.pages} pages, rendered in {export.render_seconds} s"
    )
    return {"status": export.status, "attempts": export.attempts, "files": len(files)}


def notification_case(env, log, wait, visibility, mail_dir) -> dict:
    from django.contrib.auth import get_user_model

    from action_plans.models import ActionPlan
    from participation.models import Notification
    from participation.services.comments import comment_post

    plan = ActionPlan.objects.filter(status="cocreation").order_by("pk").first()
    commitment = plan.commitments.order_by("position").first()
    author, replier = (
        get_user_model().objects.filter(email__endswith="@bench.ogp.invalid").order_by("pk")[5:7]
    )
    first = Worker(env, "third", log)
    comment = comment_post(actor=author, target=commitment, body="A comment to be answered.")
    comment_post(actor=replier, target=commitment, body="An answer to it.", parent=comment)
    notification = Notification.objects.get(user=author, comment__parent=comment)
    print(f"notification #{notification.pk} to {author.email} queued", flush=True)
    started = mail_dir / "started"
    wait_for(lambda: started.is_dir() and any(started.iterdir()), 120, "a delivery to begin")
    first.kill()
    killed = time.monotonic()
    print("  worker killed during the delivery", flush=True)
    second = Worker(env, "fourth", log)

    def emails():
        return [p for p in mail_dir.glob("*.log") if author.email in p.read_text()]

    try:
        wait_for(emails, wait, "the email")
        print(f"  delivered {time.monotonic() - killed:.1f} s after the kill", flush=True)
        time.sleep(visibility + 5)
    finally:
        second.stop()
    notification.refresh_from_db()
    delivered = emails()
    attempts = len(list(started.iterdir()))
    print(f"  delivery attempts {attempts}, emails delivered {len(delivered)}")
    return {"sent": notification.sent_at is not None, "emails": len(delivered)}


if __name__ == "__main__":
    main()
