"""The addresses of participation's pages about participable objects. A URL names an object by
its model's registered slug and its id (`/comments/commitment/12/`), never by a
ContentType id, so addresses stay the same from one database to another."""

from django.urls import reverse

from . import interface


def args_of(obj) -> list:
    """The URL arguments that name a participable object: its model's slug and its id."""
    return [interface.slug_for(obj), obj.pk]


def args_for(content_type_id: int, object_id: int) -> list:
    """The URL arguments for an object known by a (content type, id) pair, as rows that point
    at one store it (`Input.space_type_id`, `Input.space_id`)."""
    registration = interface.registration_for_content_type_id(content_type_id)
    if registration is None:
        raise LookupError(f"Content type {content_type_id} is not a participable model")
    return [registration.slug, object_id]


def discussion_url(target) -> str:
    """The page that shows the target's comments section on its own."""
    return reverse("participation:comments_discussion", args=args_of(target))


def comments_page_url(target) -> str:
    """Where the target's comments show: its own page, or, for a target whose page has no
    comments section (a milestone), its discussion page. Without a fragment."""
    adapter = interface.adapter_for(target)
    if adapter.comments_on_own_page:
        return adapter.url(target).split("#", 1)[0]
    return discussion_url(target)


def comment_post_url(target) -> str:
    return reverse("participation:comment_post", args=args_of(target))


def register_url(space) -> str:
    return reverse("participation:register", args=args_of(space))


def report_url(space) -> str:
    return reverse("participation:register_report", args=args_of(space))


def register_url_for(space_type_id: int, space_id: int) -> str:
    return reverse("participation:register", args=args_for(space_type_id, space_id))


def report_url_for(space_type_id: int, space_id: int) -> str:
    return reverse("participation:register_report", args=args_for(space_type_id, space_id))


def record_url(space) -> str:
    return reverse("participation:register_record", args=args_of(space))


def consultation_create_url(space) -> str:
    return reverse("participation:consultation_create", args=args_of(space))


def consultation_url(consultation) -> str:
    return reverse("participation:consultation_detail", args=[consultation.pk])


def vote_urls(target) -> dict[str, str]:
    """The vote box's and the follow button's form addresses."""
    args = args_of(target)
    return {
        "cast_url": reverse("participation:vote_cast", args=args),
        "withdraw_url": reverse("participation:vote_withdraw", args=args),
        **follow_urls(target),
    }


def follow_urls(target) -> dict[str, str]:
    args = args_of(target)
    return {
        "follow_url": reverse("participation:follow", args=args),
        "unfollow_url": reverse("participation:unfollow", args=args),
    }
