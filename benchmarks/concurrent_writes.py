"""Load: many participants commenting and voting on the same plan at once, through gunicorn.

    .venv/bin/python benchmarks/concurrent_writes.py [--seconds 60] [--clients 100] [--workers 4]

It recreates a database of its own (`--database-url`, default `ogp_bench_writes` on the local
PostgreSQL; dropped first), migrates it and seeds a small benchmark data set (one plan in
co-creation with an open consultation and 29 commitments, 100 verified users), starts a private
Redis and gunicorn under production settings, and signs each simulated participant in through
the real login form (CSRF included; each from its own address, as behind a proxy, so the
per-address login limit counts each person once). For `--seconds` every participant then, as
fast as the server answers, comments on the plan or a commitment, replies to a comment, supports,
opposes or withdraws its vote on a commitment, and up-votes a comment or takes the up-vote back.

Each participant records what it was told: a comment saved is a redirect to `#comment-<id>`
(its body carries a unique marker), a vote's outcome is the message the next page would show
(read from the messages cookie). A comment the platform refuses (posting too fast: 5 a minute)
comes back as the form with the error and counts as not saved. Afterwards the server is
stopped and the database must hold exactly that: every comment told saved once, with its id,
parent and register input, nothing refused or unknown, and each person's votes and up-votes as
last told. It prints one table and exits non-zero on any mismatch, server error (5xx) or
dropped connection.
"""

import argparse
import itertools
import os
import random
import re
import statistics
import sys
import threading
import time
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from _server import (
    Browser,
    free_port,
    gunicorn,
    migrate_and_seed,
    private_redis,
    production_env,
    recreate_database,
    setup_django,
    temporary_directory,
)

MARKER = re.compile(r"\[cw:([0-9a-f]{32})\]")
SAVED_COMMENT = re.compile(r"#comment-(\d+)$")
ACTIONS = {"comment": 10, "reply": 5, "cast": 40, "withdraw": 10, "upvote": 35}
# Signing in hashes the password (about a second of CPU here): a few at a time, before the
# measured load, so that a stampede of logins neither times out nor spills into it.
SIGNING_IN = threading.Semaphore(4)


@dataclass
class Known:
    """What every participant knows of the plan: its targets and the comments seen so far."""

    plan: tuple  # (content type id, pk, path)
    commitments: list  # [(content type id, pk, path)]
    comments: list  # [(comment id, depth, author id, target)], appended to as comments are saved
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add_comment(self, entry) -> None:
        with self.lock:
            self.comments.append(entry)

    def some_comment(self, rng, *, not_by=None, max_depth=2):
        with self.lock:
            candidates = self.comments[-300:]
        candidates = [c for c in candidates if c[2] != not_by and c[1] < max_depth]
        return rng.choice(candidates) if candidates else None


@dataclass
class Told:
    """What one participant was told, and what it could not know (no answer)."""

    saved: dict = field(default_factory=dict)  # marker -> (comment id, parent id, target)
    refused: set = field(default_factory=set)  # markers refused
    uncertain: set = field(default_factory=set)  # markers, ("vote", pk), ("upvote", pk)
    votes: dict = field(default_factory=dict)  # commitment pk -> value or None
    upvotes: dict = field(default_factory=dict)  # comment pk -> bool
    rate_limited: int = 0
    vote_answers: int = 0  # casts and withdrawals told done
    upvote_answers: int = 0
    statuses: Counter = field(default_factory=Counter)
    latencies: list = field(default_factory=list)
    errors: list = field(default_factory=list)


class Participant(threading.Thread):
    def __init__(self, index, user, known, told, start_barrier, deadline_box, seed, port):
        super().__init__(daemon=True)
        self.index, self.user, self.known, self.told = index, user, known, told
        self.start_barrier, self.deadline_box = start_barrier, deadline_box
        self.rng = random.Random(seed)  # noqa: S311 - load generation, not secrets
        self.browser = Browser(f"10.{index // 250}.{index % 250}.{1 + index % 200}", port)
        self.sign_in_error = None

    def run(self):
        from ogp_platform.accounts.bench import PASSWORD

        try:
            with SIGNING_IN:
                self.browser.sign_in(self.user.email, PASSWORD)
        except Exception as error:  # reported, and the run fails
            self.sign_in_error = error
        self.start_barrier.wait()
        if self.sign_in_error:
            return
        deadline = self.deadline_box[0]
        names, weights = zip(*ACTIONS.items(), strict=True)
        while time.monotonic() < deadline:
            action = self.rng.choices(names, weights)[0]
            getattr(self, action)()

    # --- Actions ---------------------------------------------------------------------------

    def _send(self, path, fields, on_reply, uncertain_key):
        try:
            reply = self.browser.request("POST", path, fields)
        except OSError as error:
            self.told.statuses["connection error"] += 1
            self.told.errors.append(f"{path}: {error}")
            self.told.uncertain.add(uncertain_key)
            return
        self.told.statuses[reply.status] += 1
        self.told.latencies.append(reply.seconds)
        if reply.status >= 500:
            self.told.errors.append(f"{path}: {reply.status}")
            self.told.uncertain.add(uncertain_key)
            return
        on_reply(reply)

    def comment(self, parent=None):
        target = (
            parent[3] if parent else self.rng.choice([self.known.plan, *self.known.commitments])
        )
        marker = uuid.uuid4().hex
        body = f"Participant {self.index} on the plan, remark {marker[:6]}. [cw:{marker}]"
        ct, pk, page = target
        path = f"/comments/{parent[0]}/reply/" if parent else f"/comments/{ct}/{pk}/post/"

        def on_reply(reply):
            self.browser.messages()
            saved = SAVED_COMMENT.search(reply.headers.get("Location", ""))
            if reply.status == 302 and saved:
                comment_id = int(saved.group(1))
                self.told.saved[marker] = (comment_id, parent[0] if parent else None, target)
                depth = parent[1] + 1 if parent else 0
                self.known.add_comment((comment_id, depth, self.user.pk, target))
            else:
                self.told.refused.add(marker)
                if "too fast" in reply.body or "in the last hour" in reply.body:
                    self.told.rate_limited += 1

        self._send(path, {"body": body, "next": page}, on_reply, marker)

    def reply(self):
        parent = self.known.some_comment(self.rng)
        if parent is not None:
            self.comment(parent=parent)

    def cast(self):
        ct, pk, page = self.rng.choice(self.known.commitments)
        value = self.rng.choice(["support", "oppose"])

        def on_reply(reply):
            levels = {m.level for m in self.browser.messages()}
            if reply.status == 302 and levels and levels <= {20, 25}:  # info, success
                self.told.votes[pk] = 1 if value == "support" else -1
                self.told.uncertain.discard(("vote", pk))
                self.told.vote_answers += 1
            elif not (reply.status == 302 and 40 in levels):  # an error message: unchanged
                self.told.uncertain.add(("vote", pk))

        fields = {"value": value, "next": f"{page}#votes"}
        self._send(f"/votes/{ct}/{pk}/cast/", fields, on_reply, ("vote", pk))

    def withdraw(self):
        ct, pk, page = self.rng.choice(self.known.commitments)

        def on_reply(reply):
            levels = {m.level for m in self.browser.messages()}
            if reply.status == 302 and levels and levels <= {20, 25}:
                self.told.votes[pk] = None
                self.told.uncertain.discard(("vote", pk))
                self.told.vote_answers += 1
            else:
                self.told.uncertain.add(("vote", pk))

        fields = {"next": f"{page}#votes"}
        self._send(f"/votes/{ct}/{pk}/withdraw/", fields, on_reply, ("vote", pk))

    def upvote(self):
        comment = self.known.some_comment(self.rng, not_by=self.user.pk, max_depth=99)
        if comment is None:
            return
        wanted = self.rng.random() < 0.7

        def on_reply(reply):
            levels = {m.level for m in self.browser.messages()}
            if reply.status == 302 and levels == {25}:
                self.told.upvotes[comment[0]] = wanted
                self.told.uncertain.discard(("upvote", comment[0]))
                self.told.upvote_answers += 1
            else:
                self.told.uncertain.add(("upvote", comment[0]))

        fields = {"upvoted": "1" if wanted else "0", "next": comment[3][2]}
        self._send(
            f"/votes/comments/{comment[0]}/upvote/", fields, on_reply, ("upvote", comment[0])
        )


# --- Before and after --------------------------------------------------------------------------


def the_plan():
    """The seeded plan in co-creation, its commitments, and the comments already on them."""
    from django.db.models import Count

    from action_plans.models import ActionPlan
    from participation.models import Comment
    from participation.selectors import content_type_of

    plan = (
        ActionPlan.objects.filter(status="cocreation")
        .annotate(n=Count("commitments"))
        .order_by("-n")
        .first()
    )
    commitments = list(plan.commitments.order_by("position"))
    plan_target = (content_type_of(plan).pk, plan.pk, plan.get_absolute_url())
    targets = {
        (content_type_of(c).pk, c.pk): (content_type_of(c).pk, c.pk, c.get_absolute_url())
        for c in commitments
    }
    targets[plan_target[:2]] = plan_target
    comments = [
        (c.pk, c.depth, c.author_id, targets[(c.target_type_id, c.target_id)])
        for c in Comment.objects.filter(
            target_id__in=[pk for _ct, pk in targets], depth__lt=2
        ).order_by("-pk")[:300]
        if (c.target_type_id, c.target_id) in targets
    ]
    return Known(
        plan=plan_target,
        commitments=[targets[k] for k in targets if k != plan_target[:2]],
        comments=comments,
    )


def snapshot(users, commitment_ids):
    from participation.models import Comment, CommentVote, Input, Vote

    votes = {
        (v.user_id, v.target_id): v.value
        for v in Vote.objects.filter(user__in=users, target_id__in=commitment_ids)
    }
    upvotes = set(CommentVote.objects.filter(user__in=users).values_list("user_id", "comment_id"))
    return {
        "votes": votes,
        "upvotes": upvotes,
        "comments": Comment.objects.count(),
        "inputs": Input.objects.count(),
    }


def check(participants, before, commitment_ids) -> list[str]:
    """Compare the database with what every participant was told; return the mismatches."""
    from participation.models import Comment, CommentVote, Input, Vote

    problems = []
    in_db = defaultdict(list)
    for comment in Comment.objects.filter(body__contains="[cw:"):
        in_db[MARKER.search(comment.body).group(1)].append(comment)
    saved, refused, uncertain = {}, set(), set()
    for p in participants:
        saved.update(p.told.saved)
        refused |= p.told.refused
        uncertain |= {key for key in p.told.uncertain if isinstance(key, str)}
    for marker, (comment_id, parent_id, target) in saved.items():
        rows = in_db.get(marker, [])
        if len(rows) != 1:
            problems.append(f"comment {marker}: told saved, found {len(rows)} times")
        elif (rows[0].pk, rows[0].parent_id, rows[0].target_id) != (
            comment_id,
            parent_id,
            target[1],
        ):
            problems.append(f"comment {marker}: told #{comment_id}, found #{rows[0].pk}")
    for marker in set(in_db) - set(saved) - uncertain:
        state = "refused" if marker in refused else "never sent"
        problems.append(f"comment {marker}: {state}, yet in the database")
    top_level = [rows[0].pk for rows in in_db.values() if rows[0].parent_id is None]
    inputs = Counter(
        Input.objects.filter(comment_id__in=top_level).values_list("comment_id", flat=True)
    )
    problems += [
        f"comment #{pk}: {inputs[pk]} register inputs" for pk in top_level if inputs[pk] != 1
    ]
    other_comments = Comment.objects.count() - sum(len(rows) for rows in in_db.values())
    if other_comments != before["comments"]:
        problems.append(
            f"comments not written by this run: {before['comments']} → {other_comments}"
        )

    users = [p.user for p in participants]
    votes = {
        (v.user_id, v.target_id): v.value
        for v in Vote.objects.filter(user__in=users, target_id__in=commitment_ids)
    }
    upvotes = set(CommentVote.objects.filter(user__in=users).values_list("user_id", "comment_id"))
    for p in participants:
        for pk, value in p.told.votes.items():
            found = votes.get((p.user.pk, pk))
            if ("vote", pk) not in p.told.uncertain and found != value:
                problems.append(f"vote of user {p.user.pk} on {pk}: told {value}, found {found}")
        for pk, wanted in p.told.upvotes.items():
            if ("upvote", pk) not in p.told.uncertain and ((p.user.pk, pk) in upvotes) != wanted:
                problems.append(f"up-vote of user {p.user.pk} on comment {pk}: told {wanted}")
    touched_votes = {(p.user.pk, pk) for p in participants for pk in p.told.votes}
    touched_votes |= {
        (p.user.pk, k[1]) for p in participants for k in p.told.uncertain if k[0] == "vote"
    }
    for key, value in before["votes"].items():
        if key not in touched_votes and votes.get(key) != value:
            problems.append(f"vote {key} changed though nobody touched it")
    for key in set(votes) - set(before["votes"]) - touched_votes:
        problems.append(f"vote {key} appeared though nobody cast it")
    touched_upvotes = {(p.user.pk, pk) for p in participants for pk in p.told.upvotes}
    touched_upvotes |= {
        (p.user.pk, k[1]) for p in participants for k in p.told.uncertain if k[0] == "upvote"
    }
    untouched = (upvotes ^ before["upvotes"]) - touched_upvotes
    if untouched:
        problems.append(f"up-votes changed that nobody touched: {untouched}")
    return problems


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--clients", type=int, default=100)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument(
        "--database-url", default="postgres://postgres@127.0.0.1:5432/ogp_bench_writes"
    )
    args = parser.parse_args()

    with temporary_directory("ogp-bench-static-") as static_root, private_redis() as redis_url:
        env = production_env(static_root, database_url=args.database_url, redis_url=redis_url)
        # Each participant comes from its own address, as it would through a proxy.
        env["DJANGO_TRUSTED_PROXY_COUNT"] = "1"
        print(f"Seeding {args.database_url} …", flush=True)
        recreate_database(args.database_url)
        migrate_and_seed(env, scale=max(0.005, args.clients / 20_000))
        setup_django(env)
        from django.contrib.auth import get_user_model

        known = the_plan()
        commitment_ids = [pk for _ct, pk, _path in known.commitments]
        users = list(
            get_user_model()
            .objects.filter(email__endswith="@bench.ogp.invalid")
            .order_by("pk")[: args.clients]
        )
        before = snapshot(users, commitment_ids)
        barrier = threading.Barrier(len(users) + 1)
        port = free_port()
        deadline_box = [0.0]
        participants = []
        for index, user in enumerate(users):
            told = Told(
                votes={pk: v for (u, pk), v in before["votes"].items() if u == user.pk},
                upvotes={c: True for (u, c) in before["upvotes"] if u == user.pk},
            )
            participants.append(
                Participant(index, user, known, told, barrier, deadline_box, seed=index, port=port)
            )

        with gunicorn(env, workers=args.workers, port=port):
            print(f"Signing in {len(users)} participants …", flush=True)
            for participant in participants:
                participant.start()
            # Everyone starts at once, when the last one has signed in.
            while barrier.n_waiting < len(users):
                time.sleep(0.1)
            deadline_box[0] = time.monotonic() + args.seconds
            started = time.perf_counter()
            barrier.wait()
            print(f"Load for {args.seconds} s …", flush=True)
            for participant in participants:
                participant.join()
            elapsed = time.perf_counter() - started
        problems = check(participants, before, commitment_ids)

    report(args, participants, elapsed, problems)


def report(args, participants, elapsed, problems) -> None:
    statuses = sum((p.told.statuses for p in participants), Counter())
    latencies = sorted(itertools.chain.from_iterable(p.told.latencies for p in participants))
    requests = sum(statuses.values())
    server_errors = sum(n for s, n in statuses.items() if isinstance(s, int) and s >= 500)
    dropped = statuses["connection error"]
    not_signed_in = [p for p in participants if p.sign_in_error]
    saved = sum(len(p.told.saved) for p in participants)
    refused = sum(len(p.told.refused) for p in participants)
    limited = sum(p.told.rate_limited for p in participants)
    votes = sum(p.told.vote_answers for p in participants)
    upvotes = sum(p.told.upvote_answers for p in participants)
    p50 = statistics.median(latencies) * 1000
    p99 = statistics.quantiles(latencies, n=100)[98] * 1000

    print(
        f"{len(participants)} participants, {args.seconds} s, gunicorn {args.workers} workers, "
        f"{os.cpu_count()} cores shared by all"
    )
    rows = [
        ("write requests", requests),
        ("requests/s", f"{requests / elapsed:.1f}"),
        ("p50 / p99 ms", f"{p50:.0f} / {p99:.0f}"),
        ("answers", ", ".join(f"{s}: {n}" for s, n in sorted(statuses.items(), key=str))),
        ("server errors (5xx)", server_errors),
        ("dropped connections", dropped),
        ("comments told saved", saved),
        ("comments refused (rate limit)", f"{refused} ({limited})"),
        ("votes cast or withdrawn, told done", votes),
        ("comment up-votes given or taken back, told done", upvotes),
        ("not signed in", len(not_signed_in)),
        ("mismatches with the database", len(problems)),
    ]
    for label, value in rows:
        print(f"{label:44} {value}")
    for problem in problems[:20]:
        print("  mismatch:", problem)
    for p in participants:
        for error in p.told.errors[:3]:
            print("  error:", error)
    for p in not_signed_in[:5]:
        print("  not signed in:", p.sign_in_error)
    if problems or server_errors or dropped or not_signed_in:
        sys.exit(1)


if __name__ == "__main__":
    main()
