"""What the audit log reads of the co-production core (see `ogp_platform.audit.sources`): the
versions of each process, of the items of its tree, of its teams (who joined and left) and of its
rules, and the amendments of its rules; and the versions of the enablers of the catalogue
(curation by OGP staff, imports). Under a member, the log shows the processes that member
owns (with any other owner) and those it was ever the primary member of. Registered in
`CoproductionConfig.ready()`."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ogp_platform.audit import sources

from .models import Enabler, Governance, GovernanceAmendment, Process, Team, TreeItem, translated


def process_ids(scope: sources.MemberScope) -> list[int]:
    """The ids of the processes the member owns, and of those it was ever the primary member
    of (removed ones too, from their history), read once for the whole log."""

    def read(member):
        owned = Process.objects.filter(owner_members=member).values_list("pk", flat=True)
        primary = (
            Process.history.filter(primary_member_id=member)
            .order_by()
            .values_list("id", flat=True)
            .distinct()
        )
        return sorted({*owned, *primary})

    return scope.ids("coproduction.processes", read)


def _process_url(slug: str | None) -> str:
    return reverse("coproduction:process", args=[slug]) if slug else ""


def _slugs(process_ids) -> dict[int, str]:
    """The current slug of each process (a removed process has none), in one query."""
    return dict(Process.objects.filter(pk__in=set(process_ids)).values_list("pk", "slug"))


def _names(process_ids) -> dict[int, str]:
    """The latest name of each process, removed ones too (from its history), in one query."""
    names = {}
    rows = (
        Process.history.filter(id__in=set(process_ids))
        .order_by("id", "history_id")
        .values_list("id", "name")
    )
    for pk, name in rows:
        names[pk] = name
    return names


def _processes(ids, lookup):
    pairs = sources.versions(Process, ids)
    slugs = _slugs(record.id for record, _previous in pairs)

    def build(record, previous):
        return sources.version_entry(
            "process", record, previous, subject=record.name, url=_process_url(slugs.get(record.id))
        )

    return sources.version_entries(pairs, build)


def _in_process(kind: str, model, describe):
    """Entries for the versions of a model that belongs to a process (`process_id`), each
    described by `describe(record, process name)`."""

    def entries(ids, lookup):
        pairs = sources.versions(model, ids)
        process_ids = [record.process_id for record, _previous in pairs]
        slugs, names = _slugs(process_ids), _names(process_ids)

        def build(record, previous):
            name = names.get(record.process_id) or sources.removed(_("process"), record.process_id)
            url = _process_url(slugs.get(record.process_id))
            return sources.version_entry(
                kind, record, previous, subject=describe(record, name), url=url
            )

        return sources.version_entries(pairs, build)

    return entries


def _item(record, process_name: str) -> str:
    return _("%(item)s (%(kind)s of %(process)s)") % {
        "item": record.name,
        "kind": record.get_kind_display().lower(),
        "process": process_name,
    }


def _team(record, process_name: str) -> str:
    return _("Team %(team)s of %(process)s") % {"team": record.name, "process": process_name}


def _rules(record, process_name: str) -> str:
    return _("Rules of %(process)s") % {"process": process_name}


def _amendments(ids, lookup):
    amendments = list(
        GovernanceAmendment.objects.filter(pk__in=ids).select_related("governance__process")
    )

    def build(amendment, _unused):
        process = amendment.governance.process
        fields = [
            str(Governance._meta.get_field(name).verbose_name)
            for name in amendment.changes
            if name in {field.name for field in Governance._meta.fields}
        ]
        return sources.Entry(
            kind="process_amendment",
            date=amendment.amended_at,
            actor_id=amendment.amended_by_id,
            subject=_("Rules of %(process)s") % {"process": process.name},
            url=f"{_process_url(process.slug)}#governance",
            fields=fields,
            summary=amendment.reason,
        )

    return {amendment.pk: (build, amendment, None) for amendment in amendments}


def _enablers(ids, lookup):
    """Curation of the catalogue (and its imports): each version of an enabler."""
    pairs = sources.versions(Enabler, ids)

    def build(record, previous):
        name = translated(record.name_translations) or record.key
        return sources.version_entry(
            "enabler",
            record,
            previous,
            subject=_("%(enabler)s (catalogue of enablers)") % {"enabler": name},
            url=reverse("coproduction:enabler", args=[record.key]),
        )

    return sources.version_entries(pairs, build)


def register() -> None:
    in_processes = lambda scope: {"process_id__in": process_ids(scope)}  # noqa: E731
    sources.register(
        sources.history_source(
            "process",
            gettext_lazy("Co-production process"),
            Process,
            member=lambda scope: {"id__in": process_ids(scope)},
            entries=_processes,
        ),
        sources.history_source(
            "process_item",
            gettext_lazy("Item of a co-production process"),
            TreeItem,
            member=in_processes,
            entries=_in_process("process_item", TreeItem, _item),
        ),
        sources.history_source(
            "process_team",
            gettext_lazy("Team of a co-production process"),
            Team,
            member=in_processes,
            entries=_in_process("process_team", Team, _team),
        ),
        sources.history_source(
            "process_rules",
            gettext_lazy("Rules of a co-production process"),
            Governance,
            member=in_processes,
            entries=_in_process("process_rules", Governance, _rules),
        ),
        sources.Source(
            "process_amendment",
            gettext_lazy("Amendment of the rules of a process"),
            rows=GovernanceAmendment.objects.all,
            date="amended_at",
            user="amended_by_id",
            member=lambda scope: {"governance__process_id__in": process_ids(scope)},
            historical=False,
            entries=_amendments,
        ),
        # The catalogue belongs to no member: these show in the whole log only.
        sources.history_source(
            "enabler",
            gettext_lazy("Enabler of the catalogue"),
            Enabler,
            member=None,
            entries=_enablers,
        ),
    )
