"""Reads of consultations, comments, votes and the register."""

import statistics
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.db.models import (
    Count,
    Exists,
    IntegerField,
    Max,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from . import policies
from .interface import adapter_for, is_participable
from .models import (
    Comment,
    CommentVote,
    Consultation,
    Follow,
    Input,
    ModerationAction,
    Report,
    Vote,
)


def content_type_of(obj) -> ContentType:
    return ContentType.objects.get_for_model(obj, for_concrete_model=True)


def consultations_of(space):
    """The space's consultations, newest first."""
    return Consultation.objects.filter(space_type=content_type_of(space), space_id=space.pk)


def current_consultation(target) -> Consultation | None:
    """The consultation that governs the target now: the open one of its space, else the next
    scheduled one, else the latest closed one (None when there was never any)."""
    space = adapter_for(target).space(target)
    return pick_current(list(consultations_of(space)))


def current_consultation_on_request(request, target) -> Consultation | None:
    """`current_consultation(target)`, read once per request and target: the blocks of one page
    (consultation panel, vote box, comments) share it instead of reading it each."""
    if request is None:
        return current_consultation(target)
    memo = request.__dict__.setdefault("_participation_current_consultation", {})
    key = (content_type_of(target).pk, target.pk)
    if key not in memo:
        memo[key] = current_consultation(target)
    return memo[key]


def current_consultation_read_on_request(request, target_type_id: int, target_id: int):
    """The consultation `current_consultation_on_request` has read for this target on this
    request, if it has (None otherwise): for blocks that know a target only by its ids."""
    memo = request.__dict__.get("_participation_current_consultation", {})
    return memo.get((target_type_id, target_id))


def pick_current(consultations: list[Consultation]) -> Consultation | None:
    """Of one space's consultations (newest first): the open one, else the next scheduled one,
    else the latest closed one."""
    for consultation in consultations:
        if consultation.state == Consultation.State.OPEN:
            return consultation
    scheduled = [c for c in consultations if c.state == Consultation.State.SCHEDULED]
    if scheduled:
        return min(scheduled, key=lambda consultation: consultation.opens_at)
    return consultations[0] if consultations else None


def vote_counts(target) -> dict[str, int]:
    """Exact counts of support and opposition, read from the votes themselves."""
    counts = Vote.objects.filter(
        target_type=content_type_of(target), target_id=target.pk
    ).aggregate(
        support=Count("pk", filter=Q(value=Vote.Value.SUPPORT)),
        oppose=Count("pk", filter=Q(value=Vote.Value.OPPOSE)),
    )
    return counts


def register_of(space):
    """The space's register of inputs, in the order they were received."""
    return Input.objects.filter(space_type=content_type_of(space), space_id=space.pk)


def pending_input_count(space) -> int:
    return register_of(space).filter(disposition=Input.Disposition.PENDING).count()


# --- Votes, follows and moderation -----------------------------------------------------------


def vote_box_state(target, user) -> dict:
    """For the vote box, in one query: the counts of support and opposition (read from the
    votes), the user's own vote (1, -1 or None) and whether the user follows the target."""
    on_target = {"target_type": content_type_of(target), "target_id": OuterRef("pk")}

    def tally(value):
        votes = (
            Vote.objects.filter(**on_target, value=value)
            .order_by()
            .values("target_id")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return Coalesce(Subquery(votes, output_field=IntegerField()), 0)

    annotations = {"support": tally(Vote.Value.SUPPORT), "oppose": tally(Vote.Value.OPPOSE)}
    if user.is_authenticated:
        mine = Vote.objects.filter(**on_target, user=user).values("value")[:1]
        annotations["mine"] = Subquery(mine, output_field=IntegerField())
        annotations["following"] = Exists(Follow.objects.filter(**on_target, user=user))
    else:
        annotations["mine"] = Value(None, output_field=IntegerField())
        annotations["following"] = Value(False)
    model = type(target)._meta.concrete_model
    return model._base_manager.filter(pk=target.pk).annotate(**annotations).values(*annotations)[0]


def consultations_in_space_of(consultation_id: int) -> list[Consultation]:
    """Every consultation of the space that the given consultation belongs to, newest first, in
    one query (comments know their consultation, not their space)."""
    same_space = Consultation.objects.filter(
        pk=consultation_id, space_type=OuterRef("space_type"), space_id=OuterRef("space_id")
    )
    return list(Consultation.objects.filter(Exists(same_space)))


def comment_marks(user, consultation: Consultation) -> dict[str, set[int]]:
    """The comments in the consultation's space that the user has up-voted and has reported, in
    one query: {"upvoted": {ids}, "reported": {ids}}."""
    marks = {"upvoted": set(), "reported": set()}
    if not user.is_authenticated:
        return marks
    in_space = {
        "comment__consultation__space_type_id": consultation.space_type_id,
        "comment__consultation__space_id": consultation.space_id,
    }
    upvoted = (
        CommentVote.objects.filter(user=user, **in_space)
        .order_by()
        .values_list("comment_id", Value("upvoted"))
    )
    reported = (
        Report.objects.filter(reporter=user, **in_space)
        .order_by()
        .values_list("comment_id", Value("reported"))
    )
    for comment_id, kind in upvoted.union(reported, all=True):
        marks[kind].add(comment_id)
    return marks


def moderation_queue():
    """Comments with open reports, the most recently reported first, each with its open reports
    (`open_reports`, oldest first), their number (`open_report_count`) and its target."""
    open_reports = Q(reports__resolved_at__isnull=True)
    return (
        Comment.objects.filter(
            Exists(Report.objects.filter(comment=OuterRef("pk"), resolved_at__isnull=True))
        )
        .annotate(
            open_report_count=Count("reports", filter=open_reports),
            last_reported_at=Max("reports__created_at", filter=open_reports),
        )
        .select_related("author", "organisation", "hidden_by")
        .prefetch_related(
            Prefetch(
                "reports",
                queryset=Report.objects.filter(resolved_at__isnull=True)
                .select_related("reporter")
                .order_by("created_at", "pk"),
                to_attr="open_reports",
            ),
            "target",
        )
        .order_by("-last_reported_at", "-pk")
    )


def moderation_record():
    """What moderators did, newest first, with the moderator and the comment."""
    return ModerationAction.objects.select_related("moderator", "comment", "comment__author")


def report_by(user, comment: Comment) -> Report | None:
    if not user.is_authenticated:
        return None
    return Report.objects.filter(comment=comment, reporter=user).first()


# --- Comments (the comments area) -----------------------------------------------------------

COMMENTS_PER_PAGE = 20


def _comments_with_counts(target):
    return (
        Comment.objects.filter(target_type=content_type_of(target), target_id=target.pk)
        .select_related("author", "organisation")
        .annotate(upvote_count=Count("upvotes"))
        .order_by("created_at", "pk")
    )


def comment_thread_page(target, *, page_number=1, per_page: int = COMMENTS_PER_PAGE):
    """One page of the target's top-level comments, oldest first, each with its replies (and
    theirs) in `thread_replies`, every comment with its author, organisation and `upvote_count`.

    Three queries whatever the number of comments: the counts (`page.total_count` counts
    replies too), the page of top-level comments, and all replies of those in one query.
    """
    counts = Comment.objects.filter(
        target_type=content_type_of(target), target_id=target.pk
    ).aggregate(top=Count("pk", filter=Q(parent__isnull=True)), total=Count("pk"))
    comments = _comments_with_counts(target)
    paginator = Paginator(comments.filter(parent__isnull=True), per_page)
    paginator.count = counts["top"]  # already counted above: spares the paginator's query
    page = paginator.get_page(page_number)
    page.total_count = counts["total"]
    top = list(page.object_list) if counts["top"] else []
    page.object_list = top
    by_pk = {comment.pk: comment for comment in top}
    for comment in top:
        comment.thread_replies = []
    if top:
        ids = list(by_pk)
        replies = comments.filter(Q(parent_id__in=ids) | Q(parent__parent_id__in=ids))
        for reply in replies:  # oldest first, so a parent always comes before its replies
            reply.thread_replies = []
            by_pk[reply.pk] = reply
        for reply in by_pk.values():
            if reply.parent_id is not None and reply.parent_id in by_pk:
                by_pk[reply.parent_id].thread_replies.append(reply)
    return page


def comment_page_number(comment, *, per_page: int = COMMENTS_PER_PAGE) -> int:
    """The page of its target's thread on which a comment (or its top-level ancestor) shows."""
    top = comment
    while top.parent_id is not None:
        top = top.parent
    earlier = Comment.objects.filter(
        target_type_id=top.target_type_id,
        target_id=top.target_id,
        parent__isnull=True,
    ).filter(Q(created_at__lt=top.created_at) | Q(created_at=top.created_at, pk__lt=top.pk))
    return earlier.count() // per_page + 1


# --- The reasoned-response register (the register area) -----------------------------------

REGISTER_PER_PAGE = 50


@dataclass
class RegisterTotals:
    """A register's figures, from one grouped query: `counts[(disposition, source)] = n`."""

    counts: dict[tuple[str, str], int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def count(self, *, disposition: str | None = None, source: str | None = None) -> int:
        """How many inputs have this disposition and come from this source (None: any)."""
        return sum(
            n
            for (d, s), n in self.counts.items()
            if (disposition is None or d == disposition) and (source is None or s == source)
        )

    @property
    def pending(self) -> int:
        return self.count(disposition=Input.Disposition.PENDING)

    @property
    def answered(self) -> int:
        return self.total - self.pending

    @property
    def share_answered(self) -> int | None:
        """The percentage of inputs that have received a response, rounded down (so 100 means
        every one), or None for an empty register."""
        return self.answered * 100 // self.total if self.total else None

    @property
    def by_disposition(self) -> list[dict]:
        """Every disposition in order, with its count (zeros included)."""
        return [
            {"value": value, "label": label, "count": self.count(disposition=value)}
            for value, label in Input.Disposition.choices
        ]

    @property
    def by_source(self) -> list[dict]:
        return [
            {"value": value, "label": label, "count": self.count(source=value)}
            for value, label in Input.Source.choices
        ]


def register_totals(space) -> RegisterTotals:
    """The space's inputs counted by disposition and source, in one query."""
    rows = (
        register_of(space).order_by().values_list("disposition", "source").annotate(n=Count("pk"))
    )
    return RegisterTotals({(disposition, source): n for disposition, source, n in rows})


def register_median_days(space) -> float | None:
    """The median number of days from receiving an input to responding to it, over the inputs
    that have a response (None when none has). Days count from the date an input was received
    to the local date of its (latest) response. One query."""
    rows = (
        register_of(space)
        .exclude(disposition=Input.Disposition.PENDING)
        .filter(responded_at__isnull=False)
        .order_by()
        .values_list("received_on", "responded_at")
    )
    days = [
        max((timezone.localdate(responded_at) - received_on).days, 0)
        for received_on, responded_at in rows
    ]
    return statistics.median(days) if days else None


def register_inputs(space, *, disposition: str | None = None, source: str | None = None):
    """The space's inputs in the order they were received, optionally of one disposition and
    one source, with what each shows: the comment with its author and organisation, the input
    it was merged into, who recorded and who responded, and what it was taken into. Whatever
    the number of inputs, a page of them costs one query, plus one per kind of object they were
    taken into."""
    inputs = register_of(space)
    if disposition:
        inputs = inputs.filter(disposition=disposition)
    if source:
        inputs = inputs.filter(source=source)
    return inputs.select_related(
        "comment__author",
        "comment__organisation",
        "comment__hidden_by",
        "merged_into",
        "responded_by",
        "recorded_by",
    ).prefetch_related("taken_into")


# --- Notifications (the notifications area) ------------------------------------------------


def follows_of(user) -> list[dict]:
    """What the user follows and may still read, most recently followed first: for each, the
    `follow`, its `target` and the target's `title`. The targets are read in one query per kind
    of object; whether the user may read each is decided by its adapter."""
    follows = (
        Follow.objects.filter(user=user)
        .select_related("target_type")
        .prefetch_related("target")
        .order_by("-created_at", "-pk")
    )
    by_model = {}
    for follow in follows:
        if follow.target is not None and is_participable(follow.target):
            by_model.setdefault(type(follow.target), []).append(follow.target)
    for model, targets in by_model.items():
        prepare = getattr(adapter_for(model), "prepare", None)
        if prepare is not None:
            prepare(targets)
    rows = []
    for follow in follows:
        target = follow.target
        if target is None or not is_participable(target) or not policies.can_read(user, target):
            continue
        rows.append(
            {"follow": follow, "target": target, "title": adapter_for(target).title(target)}
        )
    return rows
