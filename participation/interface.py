"""How participation attaches to other apps' objects: adapters, registered per model.

Participation knows nothing of plans, commitments or any module. An app makes a model
participable by registering an adapter for it, with a slug that names the model in
participation's URLs (usually in its AppConfig.ready()):

    from participation import interface

    interface.register(Challenge, ChallengeParticipation(), slug="challenge")
    interface.register(Proposal, ProposalParticipation(), slug="proposal")

Two kinds of adapter, each a base class whose methods all have defaults but the ones marked
"required":

- `TargetAdapter`, for anything people comment on, vote on or follow (a commitment, a
  proposal): its title and URL, who may read it (one object, `may_read`, and a queryset,
  `readable`, so lists are filtered in the database), whether people vote on it, and the space
  that governs it (`space`, required).
- `SpaceAdapter`, a target that is its own space (a plan, a challenge, a co-production
  process): consultations are held on it and its register of inputs gets the reasoned
  responses. It says who owns it (members and organisations, one of them the primary member),
  who responds, whether taking part needs an open consultation or is always open, what inputs
  can be taken into, and the nouns participation's pages and emails use for it.

Participation calls adapters only through these methods: nothing is probed with getattr.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.db.models import Q, prefetch_related_objects
from django.utils.translation import gettext_lazy as _

# --- Nouns ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Nouns:
    """What participation calls a space and the items it holds, in its pages, emails and
    messages, instead of "plan" and "commitment": lazy translations, in lower case, as they
    read inside a sentence ("comment on the %(space)s and its %(items)s")."""

    space: str
    spaces: str
    item: str
    items: str

    def as_dict(self) -> dict[str, str]:
        """For `%`-interpolation into translated sentences."""
        return {"space": self.space, "spaces": self.spaces, "item": self.item, "items": self.items}


DEFAULT_NOUNS = Nouns(space=_("space"), spaces=_("spaces"), item=_("item"), items=_("items"))


# --- Adapters ---------------------------------------------------------------------------------


class TargetAdapter:
    """What participation needs to know about an object people comment on, vote on or follow.
    Subclass it and override what differs from the defaults; `space` is required."""

    # What `title`, `url` and `may_read` read beyond the object, as `select_related` paths, so
    # that many objects of the model are read in one query with them (e.g. a milestone's
    # commitment, its plan and the plan's member).
    related: tuple[str, ...] = ()
    # Whether the object's own page shows its comments section; if not (a milestone, a part of
    # its commitment's page), its comments show on participation's discussion page for it.
    comments_on_own_page: bool = True

    def title(self, obj) -> str:
        """How the object is named in participation's pages and emails."""
        return str(obj)

    def url(self, obj) -> str:
        """The object's own page, where its comments (and vote box) show."""
        return obj.get_absolute_url()

    def space(self, obj) -> models.Model:
        """Required: the object whose consultations and register govern this one (for a
        commitment, its plan). A space is its own space."""
        raise NotImplementedError(f"{type(self).__name__} must say which space governs {obj!r}")

    def votable(self, obj) -> bool:
        """Whether people support or oppose it (a commitment, a proposal), or only comment."""
        return False

    def readable(self, user, queryset: models.QuerySet) -> models.QuerySet:
        """The objects of `queryset` the user may read, as a queryset (lists of what someone
        follows, replies, responses and open consultations are filtered with it, in the
        database). Everything, by default: override it for anything not public."""
        return queryset

    def may_read(self, user, obj) -> bool:
        """Whether the user may read the object (and so what is said about it). By default
        the answer of `readable`, in one query: override it with a check that needs no query
        when the object at hand tells, and keep the two in agreement."""
        model = type(obj)._meta.concrete_model
        return self.readable(user, model._default_manager.filter(pk=obj.pk)).exists()

    def prepare(self, objects: list) -> None:
        """Load, in a few queries, what `title`, `url` and `may_read` need for many objects of
        the model at once. By default, the `related` objects."""
        if self.related:
            prefetch_related_objects(objects, *self.related)


class SpaceAdapter(TargetAdapter):
    """A participable object that is its own space: consultations are held on it, and its
    register holds the inputs on it and on what it holds. `primary_member` is required."""

    nouns: Nouns = DEFAULT_NOUNS

    def space(self, obj) -> models.Model:
        return obj

    def primary_member(self, space):
        """Required: the `ogp_platform.members.models.Member` the space's consultations and
        inputs are filed under (`Consultation.member`, `Input.member`): the officers of that
        member see its pending inputs on My work, and its pages are cached in that member's
        scope. With several owners, the lead one."""
        raise NotImplementedError(f"{type(self).__name__} must name the primary member")

    def owners(self, space) -> list:
        """Who owns the space: members and organisations (a ministry and a city together, a
        ministry and its partner organisations). By default the primary member alone."""
        return [self.primary_member(space)]

    def may_respond(self, user, space) -> bool:
        """Whether the user records inputs and gives reasoned responses on the space (and so
        does not vote on what it holds). By default: the points of contact and officers of its
        owning members, and the administrators of its owning organisations."""
        from ogp_platform.members import policies as member_policies
        from ogp_platform.members.models import Member, MemberRole, Organisation

        if not user.is_authenticated:
            return False
        for owner in self.owners(space):
            if isinstance(owner, Member) and member_policies.has_member_role(
                user, owner, MemberRole.Role.POINT_OF_CONTACT, MemberRole.Role.OFFICER
            ):
                return True
            if isinstance(owner, Organisation) and member_policies.is_organisation_admin(
                user, owner
            ):
                return True
        return False

    def official_member(self, user, space):
        """The member whose official mark what the user writes on the space carries (its
        government's name), or None: the first owning member the user is an officer of, when
        they respond on the space. Those who respond for an organisation or another role
        write without the mark."""
        from ogp_platform.members import policies as member_policies
        from ogp_platform.members.models import Member, MemberRole

        if not self.may_respond(user, space):
            return None
        for owner in self.owners(space):
            if isinstance(owner, Member) and member_policies.has_member_role(
                user, owner, MemberRole.Role.POINT_OF_CONTACT, MemberRole.Role.OFFICER
            ):
                return owner
        return None

    def consultation_required(self, space) -> bool:
        """True: people comment and vote only while a (time-boxed) consultation on the space is
        open. False: feedback is always open; consultations may still be held beside it (their
        window, questions and rules frame a round), and the register takes every input."""
        return True

    def accepts_consultation(self, space) -> bool:
        """Whether a consultation may be held on the space now (a plan: while in co-creation)."""
        return True

    def children(self, space) -> Iterable:
        """What the space holds that an input can be taken into (a plan's commitments), in
        order; a queryset when it can be one (figures count their votes in one query)."""
        return []

    def breadcrumbs(self, space) -> list[tuple[str, str]]:
        """The trail to the space, the space included, for participation's pages about it."""
        from ogp_platform.members.views.common import member_breadcrumbs

        return [
            *member_breadcrumbs(self.primary_member(space)),
            (self.title(space), self.url(space)),
        ]

    def consultation_rule(self, space) -> str:
        """When consultations are held on such spaces, said where none has been (e.g. "while a
        plan is in co-creation"); empty when there is nothing to say."""
        return ""

    def register_rule(self, space) -> str:
        """What the register's state holds up, said to those who respond (e.g. that the plan
        cannot be submitted while an input is pending); empty when nothing."""
        return ""


# --- The registry -------------------------------------------------------------------------------

SLUG_CHARACTERS = "abcdefghijklmnopqrstuvwxyz0123456789-"


@dataclass(frozen=True)
class Registration:
    model: type[models.Model]
    adapter: TargetAdapter
    slug: str


_by_model: dict[type[models.Model], Registration] = {}
_by_slug: dict[str, Registration] = {}


def register(model: type[models.Model], adapter: TargetAdapter, *, slug: str | None = None):
    """Make `model` participable through `adapter`. `slug` names the model in participation's
    URLs (`/comments/<slug>/<pk>/`): lower-case letters, digits and hyphens,
    starting with a letter, unique, and stable (changing it breaks links). It defaults to the
    model's name."""
    if not isinstance(adapter, TargetAdapter):
        raise ImproperlyConfigured(
            f"The adapter of {model.__name__} must be a participation.interface.TargetAdapter "
            f"(or SpaceAdapter) instance, not {adapter!r}"
        )
    model = model._meta.concrete_model
    slug = slug or model._meta.model_name
    if not slug[0].isalpha() or any(c not in SLUG_CHARACTERS for c in slug):
        raise ImproperlyConfigured(f"{slug!r} is not a participation slug for {model.__name__}")
    taken = _by_slug.get(slug)
    if taken is not None and taken.model is not model:
        raise ImproperlyConfigured(f"{model.__name__} and {taken.model.__name__} share {slug!r}")
    previous = _by_model.pop(model, None)
    if previous is not None:
        _by_slug.pop(previous.slug, None)
    registration = Registration(model, adapter, slug)
    _by_model[model] = registration
    _by_slug[slug] = registration


def _model(obj_or_model) -> type[models.Model]:
    model = obj_or_model if isinstance(obj_or_model, type) else type(obj_or_model)
    return model._meta.concrete_model


def registration_for(obj_or_model) -> Registration:
    try:
        return _by_model[_model(obj_or_model)]
    except KeyError:
        raise LookupError(
            f"{_model(obj_or_model).__name__} is not participable: register an adapter"
        ) from None


def adapter_for(obj_or_model) -> TargetAdapter:
    return registration_for(obj_or_model).adapter


def is_participable(obj_or_model) -> bool:
    return _model(obj_or_model) in _by_model


def slug_for(obj_or_model) -> str:
    return registration_for(obj_or_model).slug


def registration_for_slug(slug: str) -> Registration:
    try:
        return _by_slug[slug]
    except KeyError:
        raise LookupError(f"No participable model is registered as {slug!r}") from None


def registration_for_content_type_id(content_type_id: int) -> Registration | None:
    """The registration of the model a ContentType id names (None when it names none)."""
    try:
        model = ContentType.objects.get_for_id(content_type_id).model_class()
    except ContentType.DoesNotExist:
        return None
    return _by_model.get(model._meta.concrete_model) if model is not None else None


# --- Answers about one object, through its adapters ---------------------------------------------


def space_of(obj) -> models.Model:
    """The space that governs the participable object (itself, for a space)."""
    return adapter_for(obj).space(obj)


def space_adapter(space) -> SpaceAdapter:
    """The adapter of a space (LookupError when the object is not a registered space)."""
    adapter = adapter_for(space)
    if not isinstance(adapter, SpaceAdapter):
        raise LookupError(f"{type(space).__name__} is registered, but not as a space")
    return adapter


def space_adapter_of(obj) -> SpaceAdapter:
    """The adapter of the space that governs the participable object."""
    return space_adapter(space_of(obj))


def is_space(obj) -> bool:
    """Whether the object is a participable space (its own space)."""
    return obj is not None and is_participable(obj) and isinstance(adapter_for(obj), SpaceAdapter)


def title_of(obj) -> str:
    return adapter_for(obj).title(obj)


def url_of(obj) -> str:
    return adapter_for(obj).url(obj)


def primary_member_of(obj):
    """The primary member of the space that governs the object."""
    space = space_of(obj)
    return space_adapter(space).primary_member(space)


def owner_members_of(obj) -> list:
    """The members among the owners of the space that governs the object (the primary member
    first)."""
    from ogp_platform.members.models import Member

    space = space_of(obj)
    adapter = space_adapter(space)
    primary = adapter.primary_member(space)
    others = [
        owner
        for owner in adapter.owners(space)
        if isinstance(owner, Member) and owner.pk != primary.pk
    ]
    return [primary, *others]


def nouns_of(obj) -> Nouns:
    """The nouns of the space that governs the object."""
    return space_adapter_of(obj).nouns


def readable_q(user, *, type_field: str, id_field: str) -> Q:
    """A filter for rows that point at participable objects through a (content type, id) pair
    of fields (`target_type` / `target_id`, `comment__target_type` / ...): the rows whose
    object the user may read, as each registered adapter's `readable` says, in the database.
    One subquery per registered model, whatever the number of rows."""
    condition = Q(pk__in=[])
    for registration in _by_model.values():
        model = registration.model
        content_type = ContentType.objects.get_for_model(model, for_concrete_model=True)
        readable = registration.adapter.readable(user, model._default_manager.all())
        condition |= Q(
            **{type_field: content_type.pk, f"{id_field}__in": readable.order_by().values("pk")}
        )
    return condition
