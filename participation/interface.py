"""The one small interface through which participation attaches to other apps' objects.

Participation knows nothing of plans or commitments. An app makes a model participable by
registering an adapter for it (usually in its AppConfig.ready()):

    participation.interface.register(Commitment, CommitmentParticipation)

The adapter answers, for one object: its title, the member that owns it, the "space" whose
consultation governs it (a plan governs itself, its commitments and their milestones), whether
people may vote on it, and who may respond to what people say about it.
"""

from dataclasses import dataclass
from typing import Protocol

from django.db import models


class Participable(Protocol):
    """What participation needs to know about an object people comment on."""

    # Optional: what `title`, `member`, `may_read` and the object's `get_absolute_url` read
    # beyond the object, as `select_related` paths, so that many objects of the model are read
    # in one query with them (e.g. a milestone's commitment, its plan and the plan's member).
    related: tuple[str, ...] = ()

    def title(self, obj) -> str: ...

    def member(self, obj):
        """The `ogp_platform.members.models.Member` that owns the object."""

    def space(self, obj) -> models.Model:
        """The object whose consultations govern this one (e.g. the action plan)."""

    def votable(self, obj) -> bool:
        """Whether people support or oppose it (commitments), or only comment (plans)."""

    def may_respond(self, user, obj) -> bool:
        """Whether the user may record inputs and respond to them (the member's officers)."""

    def may_read(self, user, obj) -> bool:
        """Whether the user may see the object (and so its comments)."""

    def accepts_consultation(self, space) -> bool:
        """Whether a consultation may be held on the space now (e.g. a plan in co-creation)."""

    def children(self, space) -> list:
        """What the space holds that an input can be taken into (a plan's commitments), for
        the register's responses. Optional: an adapter without it offers nothing."""

    def prepare(self, objects: list) -> None:
        """Load, in a few queries, what `title` and `may_read` need for many objects of the
        model at once (a list of what someone follows). Optional."""


_adapters: dict[type[models.Model], Participable] = {}


def register(model: type[models.Model], adapter: Participable) -> None:
    _adapters[model] = adapter


def adapter_for(obj_or_model) -> Participable:
    model = obj_or_model if isinstance(obj_or_model, type) else type(obj_or_model)
    model = model._meta.concrete_model
    try:
        return _adapters[model]
    except KeyError:
        raise LookupError(f"{model.__name__} is not participable: register an adapter") from None


def is_participable(obj_or_model) -> bool:
    model = obj_or_model if isinstance(obj_or_model, type) else type(obj_or_model)
    return model._meta.concrete_model in _adapters


@dataclass(frozen=True)
class Target:
    """A participable object with its adapter's answers, computed once."""

    obj: models.Model
    adapter: Participable

    @classmethod
    def of(cls, obj) -> "Target":
        return cls(obj, adapter_for(obj))

    @property
    def title(self) -> str:
        return self.adapter.title(self.obj)

    @property
    def member(self):
        return self.adapter.member(self.obj)

    @property
    def space(self):
        return self.adapter.space(self.obj)
