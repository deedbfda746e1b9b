"""The members the rows belong to: found, or created from the first row naming them."""

from django.utils.text import slugify

from ogp_platform.members import countries
from ogp_platform.members.models import Member

from . import columns
from .prefixes import PrefixDecision, decide_prefixes, note_prefixes, store_prefix
from .rows import MemberKey, MemberSpec, Row
from .state import ImportState, skip_row
from .summary import DERIVED


def _unique_slug(name: str, taken: set[str]) -> str:
    base = slugify(name)[:180] or "member"
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    taken.add(slug)
    return slug


def _new_member(spec: MemberSpec, taken_slugs: set[str], *, parent=None, prefix="") -> Member:
    local = spec.key.kind == columns.LOCAL
    return Member(
        kind=Member.Kind.LOCAL if local else Member.Kind.NATIONAL,
        name=spec.name[:200],
        slug=_unique_slug(spec.name, taken_slugs),
        country=spec.country,
        country_alpha3=countries.alpha3(spec.country),
        local_code=spec.key.code if local else "",
        commitment_id_prefix=prefix,
        parent=parent,
        region=spec.region,
        status=Member.Status.ACTIVE,
    )


def _existing_members(specs: dict[MemberKey, MemberSpec]) -> tuple[dict, dict]:
    """The members already there: nationals by country, locals by local code."""
    national_codes = {spec.country for spec in specs.values()}
    nationals = {
        member.country: member
        for member in Member.objects.filter(kind=Member.Kind.NATIONAL, country__in=national_codes)
    }
    locals_ = {
        member.local_code: member
        for member in Member.objects.filter(
            kind=Member.Kind.LOCAL,
            local_code__in=[key.code for key in specs if key.kind == columns.LOCAL],
        )
    }
    return nationals, locals_


def _create_missing(
    state: ImportState,
    specs: dict[MemberKey, MemberSpec],
    first_row: dict[MemberKey, Row],
    nationals: dict[str, Member],
    decisions: dict[MemberKey, PrefixDecision],
) -> tuple[dict[MemberKey, Member], set[int], dict[MemberKey, str]]:
    """Create the members of `specs` (those not found), active, from their first row, with
    the prefix decided for them; a local member's missing parent too. Returns the members
    created by key, the ids of all created (parents included), and the members refused for an
    unknown region (key → the region's text)."""
    summary = state.summary
    taken_slugs = set(Member.objects.values_list("slug", flat=True))
    members: dict[MemberKey, Member] = {}
    created_ids: set[int] = set()
    refused: dict[MemberKey, str] = {}

    def created(new: Member, row: Row, code: str, **params) -> None:
        new._history_user = state.actor
        new.save()
        created_ids.add(new.pk)
        summary.count("members", "created")
        summary.note(row.number, "", DERIVED, code, **params)

    # Nationals first, so that local members find their parent.
    for key, spec in sorted(specs.items(), key=lambda item: item[0].kind != columns.NATIONAL):
        if not spec.region:
            refused[key] = spec.region_text
            summary.count("members", "skipped")
            continue
        row = first_row[key]
        parent = None
        if key.kind == columns.LOCAL:
            parent = nationals.get(spec.country)
            if parent is None:
                parent = _new_member(
                    MemberSpec(
                        MemberKey(columns.NATIONAL, spec.country),
                        countries.name(spec.country, "en"),
                        spec.country,
                        spec.region,
                        spec.region_text,
                    ),
                    taken_slugs,
                )
                created(parent, row, "parent_created", member=parent.name, local=spec.name)
                nationals[spec.country] = parent
        member = _new_member(spec, taken_slugs, parent=parent, prefix=decisions[key].store or "")
        created(
            member,
            row,
            "member_created",
            member=member.name,
            kind=member.kind,
            region=member.region,
        )
        if key.kind == columns.NATIONAL:
            nationals[key.code] = member
        members[key] = member
    return members, created_ids, refused


def resolve_members(
    state: ImportState, rows: list[Row]
) -> tuple[dict[MemberKey, Member], list[Row]]:
    """The members the rows belong to: found by country (national) or local code (local), or
    created active from the first row that names them. A local member's parent is the national
    member of its country, created too when missing. A member whose ids in the file all share
    a prefix of OGP's own gets it recorded (see `prefixes`); members found are otherwise left
    as they are. Returns the members and the rows kept."""
    specs: dict[MemberKey, MemberSpec] = {}
    first_row: dict[MemberKey, Row] = {}
    for row in rows:
        specs.setdefault(row.member.key, row.member)
        first_row.setdefault(row.member.key, row)
    nationals, locals_ = _existing_members(specs)
    found = {
        key: member
        for key in specs
        if (member := (nationals if key.kind == columns.NATIONAL else locals_).get(key.code))
    }
    decisions = decide_prefixes(rows, specs, found)
    missing = {key: spec for key, spec in specs.items() if key not in found}
    created, created_ids, refused = _create_missing(state, missing, first_row, nationals, decisions)
    members = {**found, **created}

    updated = {
        member.pk for key, member in found.items() if store_prefix(state, member, decisions[key])
    }
    state.summary.count("members", "updated", len(updated))
    # A local member's parent counts as found with it.
    found_ids = {member.pk for member in members.values()}
    found_ids |= {member.parent_id for member in members.values() if member.parent_id}
    state.summary.count("members", "unchanged", len(found_ids - created_ids - updated))

    kept = []
    for row in rows:
        if row.member.key in refused:
            skip_row(state, row, "region_unknown", value=refused[row.member.key])
        else:
            kept.append(row)
    note_prefixes(state, kept, members, decisions)
    return members, kept
