"""Benchmark data helpers (see `ogp_platform.seeding`) for the apps whose objects people take
part on: participation knows no space or target of its own, so it registers nothing and the
app owning them calls these (action_plans holds consultations on its plans, commitments puts
comments and votes on theirs). Rows are written directly, in batches, as the rest of the
benchmark data."""

import datetime
import itertools

from django.utils.html import escape

from ogp_platform import seeding

from .models import Comment, Consultation, Input, Vote
from .selectors import content_type_of


def consultations(run: seeding.BenchRun, spaces, *, member_id, title, creator) -> dict:
    """An open consultation on each of `spaces` (opened ten days ago, closing in twenty), held
    by the member `member_id(space)`, named `title(space)`. Returns them by the space's id."""
    space_type = content_type_of(spaces[0])
    rows = [
        Consultation(
            space_type=space_type,
            space_id=space.pk,
            member_id=member_id(space),
            title=title(space),
            rules="Be kind; every input gets a reasoned response.",
            questions="What is missing?",
            opens_at=run.now - datetime.timedelta(days=10),
            closes_at=run.now + datetime.timedelta(days=20),
            opened_at=run.now - datetime.timedelta(days=10),
            created_by=creator,
        )
        for space in spaces
    ]
    return {c.space_id: c for c in Consultation.objects.bulk_create(rows)}


def comments(run: seeding.BenchRun, targets, *, space_of, consultations, users, n: int):
    """`n` comments on `targets`: 500 on the first, 10 on the second, the rest spread at random;
    a quarter of the rest are replies. Each is in the consultation of its target's space
    (`space_of(target)`), and every top-level comment is an input of that space's register.
    Returns (comments, inputs) written."""
    target_type = content_type_of(targets[0])
    spaces = {space_of(t).pk: space_of(t) for t in targets}
    space_type = content_type_of(next(iter(spaces.values())))
    quotas = [min(500, n), min(10, max(0, n - 500))]
    rest = max(0, n - sum(quotas))
    reply_count = rest // 5
    rest -= reply_count
    others = targets[2:] or targets
    space_id_of = {t.pk: space_of(t).pk for t in targets}

    def comment(target, i, parent=None):
        body = f"{seeding.BENCH_TEXT} ({i})"
        return Comment(
            target_type=target_type,
            target_id=target.pk,
            space_type=space_type,
            space_id=space_id_of[target.pk],
            member_id=consultations[space_id_of[target.pk]].member_id,
            consultation=consultations[space_id_of[target.pk]],
            parent=parent,
            depth=1 if parent else 0,
            author=users[(i * 7 + 1) % len(users)],
            body=body,
            body_html=f"<p>{escape(body)}</p>",
            created_at=run.now - datetime.timedelta(minutes=n - i),
        )

    planned = []
    for target, quota in zip(targets[:2], quotas, strict=False):
        planned += [target] * quota
    planned += [run.rng.choice(others) for _ in range(rest)]
    top_level = []
    i = 0
    for batch in run.batched(planned):
        made = Comment.objects.bulk_create([comment(t, i + k) for k, t in enumerate(batch)])
        i += len(batch)
        top_level.extend(made)
    # Replies: a quarter of the random ones answer an earlier comment on the same target.
    by_pk = {target.pk: target for target in targets}
    replies = [
        comment(by_pk[parent.target_id], i + k, parent=parent)
        for k, parent in enumerate(
            itertools.islice(itertools.cycle(top_level[sum(quotas) :] or top_level), reply_count)
        )
    ]
    made_replies = []
    for batch in run.batched(replies):
        made_replies.extend(Comment.objects.bulk_create(batch))
    inputs = (
        Input(
            space_type=space_type,
            space_id=space_id_of[c.target_id],
            member_id=consultations[space_id_of[c.target_id]].member_id,
            source=Input.Source.COMMENT,
            comment=c,
            received_on=c.created_at.date(),
        )
        for c in top_level
    )
    total_inputs = 0
    for batch in run.batched(inputs):
        total_inputs += len(Input.objects.bulk_create(batch))
    return len(top_level) + len(made_replies), total_inputs


def votes(run: seeding.BenchRun, targets, *, users, n: int) -> int:
    """`n` votes on `targets`, one per person and target, four in five in support."""
    target_type = content_type_of(targets[0])
    rows = []
    for index, target in enumerate(targets):
        # n spread evenly, the first targets taking the remainder; at most one vote a person.
        share = n // len(targets) + (1 if index < n % len(targets) else 0)
        start = (index * 997) % len(users)
        for k in range(min(share, len(users))):
            rows.append(
                Vote(
                    target_type=target_type,
                    target_id=target.pk,
                    user=users[(start + k) % len(users)],
                    value=Vote.Value.SUPPORT if run.rng.random() < 0.8 else Vote.Value.OPPOSE,
                    created_at=run.now,
                    updated_at=run.now,
                )
            )
    total = 0
    for batch in run.batched(rows):
        total += len(Vote.objects.bulk_create(batch))
    return total
