"""What each app holds about a person: for their data export, and for their account's deletion.

The account's export ("Download my data", `data_export`) and its deletion
(`services.account_delete`) know the core's records; every other app declares its own, once,
in its `AppConfig.ready()`, both halves together so that what is exported and what is erased
are decided side by side:

    personal_data.register(
        "participation",
        export=export,              # person -> {section: plain JSON values}
        official_records=[          # what the person did in an official role
            personal_data.OfficialRecord(
                "consultations_held",
                Consultation,
                person="created_by",
                values={"id": "id", "title": "title"},
                order="opens_at",
            ),
        ],
        forget=forget,              # person -> None: erase or anonymise
    )

- `export(user)` returns top-level sections of the export (their names must not clash with
  another app's or the core's); it reads in a number of queries that does not grow with the
  person's records.
- `official_records` are listed under the export's "official_records", one query each, values
  only (no objects built).
- `forget(user)` runs inside the deletion's transaction, before the account is stripped: it
  deletes what only served the person (follows, notifications) and blanks what must stay on
  the record but no longer name them. What stays (words written, official acts) names "Deleted
  participant" through the tombstone account without any help.

Apps are listed in the order they registered (that of INSTALLED_APPS); registering a name again
replaces it (`ready()` may run more than once).
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import models
from django.db.models import F


@dataclass(frozen=True)
class OfficialRecord:
    """A section of the export's "official_records": the rows of `model` whose `person` (a
    foreign key to the user) is the person, as {key: field path} `values`, in `order`."""

    section: str
    model: type[models.Model]
    person: str
    values: dict[str, str]
    order: str

    def rows(self, user) -> list[dict]:
        queryset = self.model._default_manager.filter(**{self.person: user})
        return values(queryset.order_by(self.order, "pk"), self.values)


@dataclass(frozen=True)
class PersonalData:
    name: str
    export: Callable[..., dict] | None = None
    official_records: tuple[OfficialRecord, ...] = field(default=())
    forget: Callable[..., None] | None = None


_registry: dict[str, PersonalData] = {}


def register(
    name: str,
    *,
    export: Callable[..., dict] | None = None,
    official_records=(),
    forget: Callable[..., None] | None = None,
) -> PersonalData:
    """Declare what the app `name` holds about a person (see the module's docstring)."""
    entry = PersonalData(
        name=name, export=export, official_records=tuple(official_records), forget=forget
    )
    _registry[name] = entry
    return entry


def registered() -> list[PersonalData]:
    """Every app's declaration, in the order they registered."""
    return list(_registry.values())


def values(queryset, fields: dict[str, str]) -> list[dict]:
    """`queryset.values()` under the keys given, in their order (a key may not rename a field
    to another field's name: Django refuses it)."""
    same = [path for key, path in fields.items() if key == path]
    renamed = {key: F(path) for key, path in fields.items() if key != path}
    return [{key: row[key] for key in fields} for row in queryset.values(*same, **renamed)]
