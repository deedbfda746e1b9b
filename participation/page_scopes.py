"""Which cached pages a change to participation touches (see `ogp_platform.pagecache`): what
people say, and how they vote, shows on the pages of the primary member of the space they speak
in (`SpaceAdapter.primary_member`); consultations, comments and the register are filed under
that member. A module whose pages show a space under other members too declares those pages'
scopes itself. Declared in `ParticipationConfig.ready()`."""

from ogp_platform.pagecache import ignore, member_scope, own_member, track

from .interface import primary_member_of
from .models import (
    Comment,
    CommentVote,
    Consultation,
    Follow,
    Input,
    ModerationAction,
    Notification,
    NotificationSetting,
    Report,
    Vote,
)


def _owner(obj) -> str:
    """The scope of the primary member of a participable object's space."""
    return member_scope(primary_member_of(obj).pk)


def register() -> None:
    track(Consultation, own_member)
    track(Input, own_member)
    track(Comment, own_member)
    for model in (CommentVote, Report, ModerationAction):
        track(model, lambda obj: own_member(obj.comment))
    for model in (Vote, Follow):
        track(model, lambda obj: (_owner(obj.target),))
    # Personal: shown only to the person, never on a cached page.
    ignore(Notification, NotificationSetting)
