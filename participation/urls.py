"""Participation's URLs. A participable object is named by its model's registered slug and its
id (`comments/commitment/12/`, see `participation.interface.register`); the addresses of old,
with a ContentType id in the slug's place, redirect for good to the new ones."""

from django.urls import path, re_path, register_converter

from . import interface
from .views import comments, common, consultations, moderation, notifications, register, votes


class ParticipableKind:
    """A registered participable model's slug. It starts with a letter, so a number in its
    place (a ContentType id, in the addresses of old) is left to the redirect below; an
    unknown slug matches nothing (404)."""

    regex = "[a-z][a-z0-9-]*"

    def to_python(self, value: str) -> str:
        try:
            interface.registration_for_slug(value)
        except LookupError:
            raise ValueError(value) from None
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(ParticipableKind, "participable")

app_name = "participation"

# Each takes `<participable:kind>/<int:object_id>/`: the object the page or form is about.
_ON_OBJECT = "<participable:kind>/<int:object_id>"

urlpatterns = [
    # Consultations
    path(f"consultations/new/{_ON_OBJECT}/", consultations.create, name="consultation_create"),
    path("consultations/<int:pk>/", consultations.detail, name="consultation_detail"),
    path("consultations/<int:pk>/edit/", consultations.edit, name="consultation_edit"),
    path("consultations/<int:pk>/open/", consultations.open_now, name="consultation_open"),
    path("consultations/<int:pk>/close/", consultations.close_now, name="consultation_close"),
    # Comments
    path(f"comments/{_ON_OBJECT}/", comments.discussion, name="comments_discussion"),
    path(f"comments/{_ON_OBJECT}/post/", comments.post, name="comment_post"),
    path("comments/<int:pk>/reply/", comments.reply, name="comment_reply"),
    path("comments/<int:pk>/edit/", comments.edit, name="comment_edit"),
    path("comments/<int:pk>/delete/", comments.delete, name="comment_delete"),
    # Votes, comment up-votes and follows
    path(f"votes/{_ON_OBJECT}/cast/", votes.cast, name="vote_cast"),
    path(f"votes/{_ON_OBJECT}/withdraw/", votes.withdraw, name="vote_withdraw"),
    path("votes/comments/<int:pk>/upvote/", votes.comment_upvote, name="comment_upvote"),
    path(f"follows/{_ON_OBJECT}/follow/", votes.follow, name="follow"),
    path(f"follows/{_ON_OBJECT}/unfollow/", votes.unfollow, name="unfollow"),
    # Moderation
    path("reports/comments/<int:pk>/", moderation.report, name="comment_report"),
    path("moderation/", moderation.queue, name="moderation_queue"),
    path("moderation/record/", moderation.record, name="moderation_record"),
    path("moderation/comments/<int:pk>/", moderation.comment, name="moderation_comment"),
    path("moderation/comments/<int:pk>/hide/", moderation.hide, name="comment_hide"),
    path("moderation/comments/<int:pk>/restore/", moderation.restore, name="comment_restore"),
    path(
        "moderation/comments/<int:pk>/dismiss/",
        moderation.dismiss,
        name="comment_reports_dismiss",
    ),
    # The reasoned-response register
    path(f"register/{_ON_OBJECT}/", register.register, name="register"),
    path(f"register/{_ON_OBJECT}/report/", register.report, name="register_report"),
    path(f"register/{_ON_OBJECT}/record/", register.record, name="register_record"),
    path("register/input/<int:pk>/respond/", register.respond, name="register_respond"),
    path("register/comments/<int:pk>/", register.comment, name="register_comment"),
    # Notification emails
    path("notifications/settings/", notifications.settings_page, name="notifications_settings"),
    path(
        "notifications/unsubscribe/<slug:token>/",
        notifications.unsubscribe,
        name="notifications_unsubscribe",
    ),
    # The addresses of old: a ContentType id where the slug now is.
    re_path(
        r"^(?P<area>comments|votes|follows|register|consultations/new)"
        r"/(?P<content_type_id>[0-9]+)/(?P<object_id>[0-9]+)/"
        r"(?P<rest>(?:post/|cast/|withdraw/|follow/|unfollow/|report/|record/)?)$",
        common.content_type_redirect,
        name="content_type_redirect",
    ),
]
