"""Reads of consultations, comments, votes and the register."""

import statistics
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.db.models import (
    Count,
    Exists,
    F,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from . import interface, links, policies
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
    return pick_current(list(consultations_of(interface.space_of(target))))


def current_consultation_on_request(request, target) -> Consultation | None:
    """`current_consultation(target)`, read once per request and target: the blocks of one page
    (consultation panel, vote box, comments) share it instead of reading it each."""
    if request is None:
        return current_consultation(target)
    memo = request.__dict__.setdefault("_participation_current_consultation", {})
    key = (content_type_of(target).pk, target.pk)
    if key not in memo:
        memo[key] = current_consultation(target)
        request.__dict__.setdefault("_participation_targets", {})[key] = target
    return memo[key]


def target_read_on_request(request, target_type_id: int, target_id: int):
    """The target `current_consultation_on_request` was asked about on this request, if it was
    (None otherwise): for blocks that know a target only by its ids."""
    return request.__dict__.get("_participation_targets", {}).get((target_type_id, target_id))


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


def comment_marks(user, *, space_type_id: int, space_id: int) -> dict[str, set[int]]:
    """The comments in the space that the user has up-voted and has reported, in one query:
    {"upvoted": {ids}, "reported": {ids}}."""
    marks = {"upvoted": set(), "reported": set()}
    if not user.is_authenticated:
        return marks
    in_space = {"comment__space_type_id": space_type_id, "comment__space_id": space_id}
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
        .select_related("author", "organisation", "official_member", "hidden_by")
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
        .select_related("author", "organisation", "official_member")
        .annotate(upvote_count=Count("upvotes"))
        .order_by("created_at", "pk")
    )


def _threads_written_in_by(user) -> Q:
    """Top-level comments whose thread holds a comment by the user that they have not deleted
    (theirs, or a reply)."""
    by_user = Comment.objects.filter(author=user, deleted_at__isnull=True)
    return Q(author=user, deleted_at__isnull=True) | Exists(
        by_user.filter(Q(parent=OuterRef("pk")) | Q(parent__parent=OuterRef("pk")))
    )


def comment_thread_page(
    target,
    *,
    page_number=1,
    per_page: int = COMMENTS_PER_PAGE,
    newest_first: bool = False,
    user=None,
    only_user_threads: bool = False,
):
    """One page of the target's top-level comments, oldest first (or newest first), each with
    its replies (and theirs, oldest first) in `thread_replies`, every comment with its author,
    organisation and `upvote_count`. For a signed-in `user`, `page.user_count` is the number of
    their comments here (not deleted), and with `only_user_threads` the page holds only the
    threads they wrote in.

    Three queries whatever the number of comments: the counts (`page.total_count` counts
    replies too), the page of top-level comments, and all replies of those in one query.
    """
    signed_in = user is not None and user.is_authenticated
    only_user_threads = only_user_threads and signed_in
    top_level = Q(parent__isnull=True)
    if only_user_threads:
        top_level &= _threads_written_in_by(user)
    extra = {}
    if signed_in:
        extra["mine"] = Count("pk", filter=Q(author=user, deleted_at__isnull=True))
    counts = Comment.objects.filter(
        target_type=content_type_of(target), target_id=target.pk
    ).aggregate(top=Count("pk", filter=top_level), total=Count("pk"), **extra)
    comments = _comments_with_counts(target)
    threads = comments.filter(top_level)
    if newest_first:
        threads = threads.order_by("-created_at", "-pk")
    paginator = Paginator(threads, per_page)
    paginator.count = counts["top"]  # already counted above: spares the paginator's query
    page = paginator.get_page(page_number)
    page.total_count = counts["total"]
    page.user_count = counts.get("mine", 0)
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
        "member",
        "comment__author",
        "comment__organisation",
        "comment__official_member",
        "comment__hidden_by",
        "merged_into",
        "responded_by",
        "recorded_by",
    ).prefetch_related("taken_into")


def participable_objects(keys, *, user, known=()) -> dict[tuple[int, int], object]:
    """The participable objects named by (content type id, pk) pairs that the user may read
    (filtered in the database by each adapter's `readable`), by pair: one query per kind of
    object, with what its adapter reads beyond the object (`related`), so titles and
    addresses cost nothing more. Objects already at hand (`known`, which the caller has
    checked) are not read again."""
    found = {(content_type_of(obj).pk, obj.pk): obj for obj in known}
    wanted = {}
    for type_id, pk in keys:
        if (type_id, pk) not in found:
            wanted.setdefault(type_id, set()).add(pk)
    for type_id, pks in wanted.items():
        model = ContentType.objects.get_for_id(type_id).model_class()
        if model is None or not is_participable(model):
            continue
        adapter = adapter_for(model)
        objects = adapter.readable(user, model._default_manager.filter(pk__in=pks))
        for obj in objects.select_related(*adapter.related):
            found[(type_id, obj.pk)] = obj
    return found


# --- Notifications (the notifications area) ------------------------------------------------


def _readable(user, rows, *, type_field: str = "target_type", id_field: str = "target_id"):
    """The rows (a queryset) whose participable object the user may read, as each adapter's
    `readable` says, decided in the database (see `interface.readable_q`)."""
    return rows.filter(interface.readable_q(user, type_field=type_field, id_field=id_field))


def _prepare(objects) -> None:
    """Load what the adapters need to title many participable objects of any kinds: a few
    queries per kind of object (`TargetAdapter.prepare`)."""
    by_model = {}
    for obj in objects:
        if obj is not None and is_participable(obj):
            by_model.setdefault(type(obj), []).append(obj)
    for model, items in by_model.items():
        adapter_for(model).prepare(items)


def followed(user):
    """The user's follows of what they may read (a queryset)."""
    return _readable(user, Follow.objects.filter(user=user))


def follows_of(user, *, limit: int | None = None) -> list[dict]:
    """What the user follows and may read, most recently followed first (the latest `limit`,
    when given): for each, the `follow`, its `target`, the target's `title` and `url`, and the
    address that stops following it (`unfollow_url`). What the user
    may read is decided in the database; the targets are read in one query per kind of
    object."""
    follows = followed(user).prefetch_related("target").order_by("-created_at", "-pk")
    if limit is not None:
        follows = follows[:limit]
    follows = [follow for follow in follows if follow.target is not None]
    _prepare(follow.target for follow in follows)
    return [
        {
            "follow": follow,
            "target": follow.target,
            "title": interface.title_of(follow.target),
            "url": interface.url_of(follow.target),
            "unfollow_url": links.follow_urls(follow.target)["unfollow_url"],
        }
        for follow in follows
    ]


# --- My work (ogp_platform/dashboard.py) ------------------------------------------------------


def _describe(objects) -> dict:
    """For participable objects of any kinds, which the caller has filtered to those the user
    may read: {(model, pk): {"title", "url"}}. What `title` and `url` need is loaded in a few
    queries per kind of object."""
    objects = [obj for obj in objects if obj is not None and is_participable(obj)]
    _prepare(objects)
    return {
        (type(obj), obj.pk): {"title": interface.title_of(obj), "url": interface.url_of(obj)}
        for obj in objects
    }


def _described(described: dict, obj) -> dict | None:
    return None if obj is None else described.get((type(obj), obj.pk))


def consultations_by_space(spaces) -> dict[int, list[Consultation]]:
    """The consultations of many spaces of one kind, newest first, in one query:
    {space pk: [consultations]} (spaces without any are left out)."""
    spaces = list(spaces)
    if not spaces:
        return {}
    found = {}
    for consultation in Consultation.objects.filter(
        space_type=content_type_of(spaces[0]), space_id__in=[space.pk for space in spaces]
    ):
        found.setdefault(consultation.space_id, []).append(consultation)
    return found


def taking_part_of(user) -> dict[str, bool]:
    """What the user's part in participation is, in one query: whether they follow something
    (`follows`), whether someone else replied to one of their comments (`replies`), and
    whether they wrote a comment that entered a register (`inputs`)."""
    if not user.is_authenticated:
        return {"follows": False, "replies": False, "inputs": False}
    person = OuterRef("pk")
    flags = {
        "follows": Exists(Follow.objects.filter(user=person)),
        "replies": Exists(Comment.objects.filter(parent__author=person).exclude(author=person)),
        "inputs": Exists(Input.objects.filter(comment__author=person)),
    }
    return get_user_model()._default_manager.filter(pk=user.pk).values(
        **flags
    ).first() or dict.fromkeys(flags, False)


def pending_inputs_by_space(*, user, members, limit: int) -> dict:
    """The inputs that wait for a response in the spaces filed under these members (their
    primary member) that the user may read and answers: how many in all (`count`) and since
    when (`oldest`, the date the oldest was received, `oldest_days` ago), and, for at most
    `limit` spaces (the longest waiting first), each `space`, its `title`, its `count` and its
    `oldest`. Four queries, plus two per kind of space."""
    pending = _readable(
        user,
        Input.objects.filter(member__in=members, disposition=Input.Disposition.PENDING),
        type_field="space_type",
        id_field="space_id",
    )
    totals = pending.aggregate(count=Count("pk"), oldest=Min("received_on"))
    if not totals["count"]:
        return {"count": 0, "oldest": None, "oldest_days": 0, "spaces": []}
    totals["oldest_days"] = max((timezone.localdate() - totals["oldest"]).days, 0)
    groups = list(
        pending.order_by()
        .values("space_type_id", "space_id")
        .annotate(count=Count("pk"), oldest=Min("received_on"))
        .order_by("oldest", "space_type_id", "space_id")[:limit]
    )
    spaces = participable_objects(((g["space_type_id"], g["space_id"]) for g in groups), user=user)
    described = _describe(spaces.values())
    rows = []
    for group in groups:
        space = spaces.get((group["space_type_id"], group["space_id"]))
        about = _described(described, space)
        if about is None or not policies.can_respond(user, space):
            continue
        rows.append({"space": space, **about, "count": group["count"], "oldest": group["oldest"]})
    return {**totals, "spaces": rows}


def follow_rows(user, *, limit: int) -> tuple[list[dict], int]:
    """What the user follows and may read, most recently followed first (at most `limit`, as
    `follows_of` gives them), and how many of those there are."""
    count = followed(user).count()
    return (follows_of(user, limit=limit) if count else []), count


def _visible_comments():
    return Comment.objects.filter(deleted_at__isnull=True, hidden_at__isnull=True)


def replies_to(user, *, limit: int) -> tuple[list[Comment], int]:
    """Replies others wrote to the user's comments, newest first (at most `limit`, each with
    its author, organisation and `about`: the title and address of what it was written on),
    and how many there are. Removed replies, and replies on what the user may no longer read,
    are left out."""
    replies = _readable(user, _visible_comments().filter(parent__author=user).exclude(author=user))
    count = replies.count()
    if not count:
        return [], 0
    rows = list(
        replies.select_related("author", "organisation", "official_member")
        .prefetch_related("target")
        .order_by("-created_at", "-pk")[:limit]
    )
    described = _describe([reply.target for reply in rows])
    for reply in rows:
        reply.about = _described(described, reply.target)
    return [reply for reply in rows if reply.about is not None], count


def inputs_of(user, *, limit: int) -> tuple[list[Input], int]:
    """The user's comments that entered a register, with the responses they got: the latest
    responses first, then those still waiting, newest first (at most `limit`, each input with
    its comment and `about`: what the comment was written on), and how many there are; inputs
    on what the user may no longer read are left out."""
    inputs = _readable(
        user,
        Input.objects.filter(comment__author=user),
        type_field="comment__target_type",
        id_field="comment__target_id",
    )
    count = inputs.count()
    if not count:
        return [], 0
    rows = list(
        inputs.select_related("comment")
        .prefetch_related("comment__target")
        .order_by(F("responded_at").desc(nulls_last=True), "-comment__created_at", "-pk")[:limit]
    )
    described = _describe([item.comment.target for item in rows])
    for item in rows:
        item.about = _described(described, item.comment.target)
        item.report_url = links.report_url_for(item.space_type_id, item.space_id)
    return [item for item in rows if item.about is not None], count


def organisation_comments(*, user, organisations, limit: int) -> tuple[list[Comment], int]:
    """What people wrote speaking for these organisations (top-level comments, which the
    register answers), newest first: at most `limit`, each with its author, organisation,
    `input` (its response, if any) and `about`; and how many there are. Only comments on what
    the user may read."""
    comments = _readable(
        user, _visible_comments().filter(organisation__in=organisations, parent__isnull=True)
    )
    count = comments.count()
    if not count:
        return [], 0
    rows = list(
        comments.select_related("author", "organisation", "input")
        .prefetch_related("target")
        .order_by("-created_at", "-pk")[:limit]
    )
    described = _describe([comment.target for comment in rows])
    for comment in rows:
        comment.about = _described(described, comment.target)
    return [comment for comment in rows if comment.about is not None], count


def open_consultations(*, user, limit: int) -> list[dict]:
    """Consultations open now that the user may read, closing soonest first (at most `limit`):
    each `consultation` with the `title` and `url` of its space."""
    open_now = Consultation.objects.filter(opened_at__isnull=False, closed_at__isnull=True)
    consultations = list(
        _readable(user, open_now, type_field="space_type", id_field="space_id")
        .prefetch_related("space")
        .order_by("closes_at", "pk")[:limit]
    )
    described = _describe([consultation.space for consultation in consultations])
    rows = []
    for consultation in consultations:
        about = _described(described, consultation.space)
        if about is not None:
            rows.append({"consultation": consultation, **about})
    return rows


def moderation_summary() -> dict:
    """How many comments have open reports (`count`), and when the oldest open report was made
    (`oldest`), in one query."""
    return Report.objects.filter(resolved_at__isnull=True).aggregate(
        count=Count("comment", distinct=True), oldest=Min("created_at")
    )
