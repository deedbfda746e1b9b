"""Consultations, comments, votes, and the reasoned-response register (OGP Standard 4).

Everything here attaches to participable objects (see `participation.interface`) through a
generic relation. What is said belongs to a "space" (an action plan, a challenge, a
co-production process): its register answers it. Where the space says so, people take part only
while a consultation on it is open, and the consultation governs comments and votes on the
space and on everything it holds (a plan's commitments and milestones); elsewhere feedback is
always open, and consultations are rounds held beside it.
"""

import secrets

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ogp_platform.members.models import Member, Organisation
from ogp_platform.text import validate_single_line


class Consultation(models.Model):
    """A window in which people comment and vote on a space (a plan in co-creation) and on what
    it holds. Opens and closes on time by itself (Celery beat), or by hand."""

    class State(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    space_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    space_id = models.PositiveBigIntegerField()
    space = GenericForeignKey("space_type", "space_id")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="consultations")
    title = models.CharField(_("title"), max_length=250, validators=[validate_single_line])
    rules = models.TextField(
        _("rules of participation"),
        help_text=_("Who may take part, how inputs are considered, and the code of conduct."),
    )
    questions = models.TextField(
        _("questions"), help_text=_("What you ask people, one question a line.")
    )
    opens_at = models.DateTimeField(_("opens"))
    closes_at = models.DateTimeField(_("closes"))
    opened_at = models.DateTimeField(null=True, blank=True, editable=False)
    closed_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    history = HistoricalRecords(excluded_fields=["created_at"])

    class Meta:
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")
        ordering = ["-opens_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=F("opens_at")),
                name="participation_consultation_closes_after_opening",
            ),
        ]
        indexes = [
            models.Index(fields=["space_type", "space_id"]),
            models.Index(fields=["opened_at", "closed_at", "opens_at", "closes_at"]),
        ]

    def __str__(self):
        return self.title

    @property
    def state(self) -> str:
        if self.closed_at:
            return self.State.CLOSED
        if self.opened_at:
            return self.State.OPEN
        return self.State.SCHEDULED

    @property
    def is_open(self) -> bool:
        return self.state == self.State.OPEN

    def get_state_display(self) -> str:
        return self.State(self.state).label

    @property
    def question_list(self) -> list[str]:
        return [line.strip() for line in self.questions.splitlines() if line.strip()]


class Comment(models.Model):
    """What someone wrote on a participable object, or a reply (two levels deep). The text is
    plain text with a small safe Markdown subset, rendered and sanitised once, when written.
    Filed, like the register's inputs, under the target's space and its primary member."""

    MAX_DEPTH = 2
    EDIT_WINDOW_MINUTES = 15

    target_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    target_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("target_type", "target_id")
    space_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    space_id = models.PositiveBigIntegerField()
    space = GenericForeignKey("space_type", "space_id")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="comments")
    # The consultation the comment was written in; none where the space's feedback is always
    # open and no consultation was open then.
    consultation = models.ForeignKey(
        Consultation, on_delete=models.PROTECT, null=True, blank=True, related_name="comments"
    )
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies"
    )
    depth = models.PositiveSmallIntegerField(default=0)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="comments"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("speaking for"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="comments",
    )
    # The member whose officer wrote the comment, on a space that member owns: set by the
    # comment service from the author's roles when they write, never from the request, so
    # that nobody else can get the official mark ("Government of Latvia") and it stays on what
    # an officer wrote after they leave.
    official_member = models.ForeignKey(
        Member,
        verbose_name=_("written officially for"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    body = models.TextField(_("comment"), max_length=5000)
    body_html = models.TextField(editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    hidden_reason = models.TextField(_("reason for hiding"), blank=True)

    history = HistoricalRecords(excluded_fields=["body_html"])

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(depth__lte=2), name="participation_comment_two_levels_deep"
            ),
            models.CheckConstraint(
                condition=Q(parent__isnull=True, depth=0) | Q(parent__isnull=False, depth__gt=0),
                name="participation_comment_depth_matches_parent",
            ),
        ]
        indexes = [
            models.Index(fields=["target_type", "target_id", "parent", "created_at"]),
            models.Index(fields=["space_type", "space_id"]),
            models.Index(fields=["author", "-created_at"]),
        ]

    def __str__(self):
        return f"{self.author} on {self.target_type_id}:{self.target_id}"

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None


class Vote(models.Model):
    """Support for or opposition to a participable object: one per person and object."""

    class Value(models.IntegerChoices):
        SUPPORT = 1, _("Support")
        OPPOSE = -1, _("Oppose")

    target_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    target_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("target_type", "target_id")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    value = models.SmallIntegerField(choices=Value.choices)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["target_type", "target_id", "user"], name="participation_one_vote_each"
            ),
            models.CheckConstraint(
                condition=Q(value__in=[1, -1]), name="participation_vote_is_for_or_against"
            ),
        ]

    def __str__(self):
        return f"{self.user_id} {self.value:+d} {self.target_type_id}:{self.target_id}"


class CommentVote(models.Model):
    """An up-vote on a comment: one per person and comment."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="upvotes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["comment", "user"], name="participation_one_upvote_each"
            )
        ]

    def __str__(self):
        return f"{self.user_id} +1 comment {self.comment_id}"


class Input(models.Model):
    """One item of a space's reasoned-response register: a top-level comment, or an input an
    officer recorded from outside the platform. Each gets a disposition and a reason."""

    class Source(models.TextChoices):
        COMMENT = "comment", _("Comment on the platform")
        WRITTEN = "written", _("Written submission")
        MEETING = "meeting", _("Forum or public meeting")
        EMAIL = "email", _("Email")
        OTHER = "other", _("Other")

    class Disposition(models.TextChoices):
        PENDING = "pending", _("Pending")
        ACCEPTED = "accepted", _("Accepted")
        PARTIAL = "partial", _("Partially accepted")
        NOT_ACCEPTED = "not_accepted", _("Not accepted")
        MERGED = "merged", _("Merged into another input")
        OUT_OF_SCOPE = "out_of_scope", _("Out of scope")

    class OrganisationKind(models.TextChoices):
        INDIVIDUAL = "individual", _("Individual")
        CSO = "cso", _("Civil-society organisation")
        PRIVATE = "private", _("Private sector")
        ACADEMIC = "academic", _("Academia")
        PUBLIC = "public", _("Public body")

    space_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    space_id = models.PositiveBigIntegerField()
    space = GenericForeignKey("space_type", "space_id")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="inputs")
    source = models.CharField(_("source"), max_length=16, choices=Source.choices)
    comment = models.OneToOneField(
        Comment, on_delete=models.CASCADE, null=True, blank=True, related_name="input"
    )
    # Inputs received outside the platform.
    author_name = models.CharField(
        _("from"), max_length=200, blank=True, validators=[validate_single_line]
    )
    organisation_name = models.CharField(
        _("organisation"), max_length=250, blank=True, validators=[validate_single_line]
    )
    organisation_kind = models.CharField(
        _("kind of contributor"),
        max_length=16,
        choices=OrganisationKind.choices,
        default=OrganisationKind.INDIVIDUAL,
    )
    text = models.TextField(_("what was said"), blank=True)
    received_on = models.DateField(_("received on"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The response.
    disposition = models.CharField(
        _("disposition"), max_length=16, choices=Disposition.choices, default=Disposition.PENDING
    )
    reason = models.TextField(_("reason"), blank=True)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_inputs",
    )
    taken_into_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    taken_into_id = models.PositiveBigIntegerField(null=True, blank=True)
    taken_into = GenericForeignKey("taken_into_type", "taken_into_id")
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    responded_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("input")
        verbose_name_plural = _("inputs")
        ordering = ["received_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(disposition="pending") | ~Q(reason=""),
                name="participation_input_response_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(source="comment", comment__isnull=False)
                | (~Q(source="comment") & Q(comment__isnull=True)),
                name="participation_input_comment_source",
            ),
            models.CheckConstraint(
                condition=~Q(disposition="merged") | Q(merged_into__isnull=False),
                name="participation_input_merged_names_target",
            ),
        ]
        indexes = [
            # The register's figures (inputs of a space by disposition and source) read the
            # index alone on PostgreSQL, without visiting thousands of rows.
            models.Index(
                fields=["space_type", "space_id", "disposition"],
                include=["source"],
                name="participation_input_space",
            )
        ]

    def __str__(self):
        return f"{self.get_source_display()} ({self.get_disposition_display()})"


class Follow(models.Model):
    """Someone follows a participable object to hear of new comments and consultations."""

    target_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    target_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("target_type", "target_id")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["target_type", "target_id", "user"], name="participation_one_follow_each"
            )
        ]

    def __str__(self):
        return f"{self.user_id} follows {self.target_type_id}:{self.target_id}"


class Report(models.Model):
    """Someone reports a comment to the moderators."""

    class Reason(models.TextChoices):
        SPAM = "spam", _("Spam")
        ABUSE = "abuse", _("Abuse")
        OFF_TOPIC = "off_topic", _("Off-topic")
        PERSONAL_DATA = "personal_data", _("Personal data")

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=16, choices=Reason.choices)
    note = models.TextField(_("note"), blank=True, max_length=1000)
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["comment", "reporter"], name="participation_one_report_each"
            )
        ]

    def __str__(self):
        return f"{self.get_reason_display()}: comment {self.comment_id}"


class ModerationAction(models.Model):
    """What a moderator did to a comment, and why: the visible record of moderation (the
    comment's own history holds the same change field by field)."""

    class Action(models.TextChoices):
        HIDE = "hide", _("Hidden")
        RESTORE = "restore", _("Restored")
        DISMISS = "dismiss", _("Reports dismissed")

    comment = models.ForeignKey(
        Comment, on_delete=models.CASCADE, related_name="moderation_actions"
    )
    action = models.CharField(_("action"), max_length=16, choices=Action.choices)
    reason = models.TextField(_("reason"), blank=True)
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("moderation action")
        verbose_name_plural = _("moderation actions")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(action="dismiss") | ~Q(reason=""),
                name="participation_moderation_has_reason",
            ),
        ]
        indexes = [models.Index(fields=["-created_at"])]

    def __str__(self):
        return f"{self.get_action_display()}: comment {self.comment_id}"


# --- Notifications ---------------------------------------------------------------------------


def new_unsubscribe_token() -> str:
    return secrets.token_urlsafe(32)


class NotificationSetting(models.Model):
    """How often someone hears by email of what happens to their inputs, their comments and
    what they follow, and the secret of the unsubscribe link in those emails. Someone without
    a row hears immediately."""

    class Frequency(models.TextChoices):
        IMMEDIATELY = "immediately", _("Immediately: one email each time")
        DAILY = "daily", _("Once a day: one digest email")
        OFF = "off", _("Never: no notification emails")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_setting"
    )
    frequency = models.CharField(
        _("email me"), max_length=16, choices=Frequency.choices, default=Frequency.IMMEDIATELY
    )
    unsubscribe_token = models.CharField(
        max_length=64, unique=True, default=new_unsubscribe_token, editable=False
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("notification setting")
        verbose_name_plural = _("notification settings")

    def __str__(self):
        return f"{self.user_id}: {self.frequency}"


class Notification(models.Model):
    """One thing one person is to hear of: recorded in the transaction of the event, sent after
    it commits (or in the day's digest). `key` names the event; one notification per person and
    event (a constraint), so recording an event twice tells nobody twice. `sent_at` is set, by
    a conditional update, before the email is handed over: a retried task never mails twice.
    A notification with nothing left to say when its turn came (the comment was removed, the
    response replaced, the recipient unsubscribed) is marked `skipped` and sent without email."""

    class Kind(models.TextChoices):
        RESPONSE = "response", _("A response to your input")
        REPLY = "reply", _("A reply to your comment")
        COMMENT = "comment", _("A new comment on what you follow")
        CONSULTATION_OPENED = "consultation_opened", _("A consultation opened")
        CONSULTATION_CLOSED = "consultation_closed", _("A consultation closed")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=32, choices=Kind.choices)
    key = models.CharField(max_length=100)
    # What the event is about: the commented object, the consultation's space, the register's.
    target_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    target_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("target_type", "target_id")
    comment = models.ForeignKey(
        Comment, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    input = models.ForeignKey(
        Input, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    skipped = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["key", "user"], name="participation_one_notification_per_event"
            ),
            models.CheckConstraint(
                condition=Q(skipped=False) | Q(sent_at__isnull=False),
                name="participation_notification_skipped_when_handled",
            ),
        ]
        indexes = [
            models.Index(
                fields=["user", "created_at"],
                condition=Q(sent_at__isnull=True),
                name="participation_unsent_notif",
            ),
        ]

    def __str__(self):
        return f"{self.kind} for {self.user_id} ({self.key})"
