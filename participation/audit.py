"""What the audit log reads of participation (see `ogp_platform.audit.sources`): the responses
to inputs of a register, and the moderators' decisions. Registered in
`ParticipationConfig.ready()`."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ogp_platform.audit import sources
from ogp_platform.members.models import Member

from . import links
from .models import Input, ModerationAction


def _responses(ids, lookup):
    pairs = sources.versions(Input, ids)
    for record, _previous in pairs:
        lookup.want(Member, record.member_id)

    def build(record, previous):
        url = links.register_url_for(record.space_type_id, record.space_id)
        subject = _("Input %(number)s to %(member)s (%(disposition)s)") % {
            "number": record.id,
            "member": sources.member_name(lookup, record.member_id),
            "disposition": record.get_disposition_display(),
        }
        return sources.version_entry("response", record, previous, subject=subject, url=url)

    return sources.version_entries(pairs, build)


def _moderation(ids, lookup):
    actions = ModerationAction.objects.filter(pk__in=ids)

    def build(action, _unused):
        summary = action.get_action_display()
        if action.reason:
            summary = f"{summary}: {action.reason}"
        return sources.Entry(
            kind="moderation",
            date=action.created_at,
            actor_id=action.moderator_id,
            subject=_("Comment %(number)s") % {"number": action.comment_id},
            url=reverse("participation:moderation_comment", args=[action.comment_id]),
            summary=summary,
        )

    return {action.pk: (build, action, None) for action in actions}


def register() -> None:
    sources.register(
        sources.history_source(
            "response",
            gettext_lazy("Response to an input"),
            Input,
            # The versions of an input from its first response on: the response's changes.
            rows=lambda: Input.history.filter(responded_at__isnull=False),
            member=lambda scope: {"member_id": scope.member},
            entries=_responses,
        ),
        sources.Source(
            "moderation",
            gettext_lazy("Moderation"),
            rows=ModerationAction.objects.all,
            date="created_at",
            user="moderator_id",
            member=lambda scope: {"comment__member_id": scope.member},
            historical=False,
            entries=_moderation,
        ),
    )
