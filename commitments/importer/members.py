"""The members the rows belong to: found, or created from the first row naming them."""

from django.utils.text import slugify

from ogp_platform.members import countries
from ogp_platform.members.models import Member

from . import columns
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


def _new_member(spec: MemberSpec, taken_slugs: set[str], *, parent=None) -> Member:
    local = spec.key.kind == columns.LOCAL
    return Member(
        kind=Member.Kind.LOCAL if local else Member.Kind.NATIONAL,
        name=spec.name[:200],
        slug=_unique_slug(spec.name, taken_slugs),
        country=spec.country,
        country_alpha3=countries.alpha3(spec.country),
        local_code=spec.key.code if local else "",
        parent=parent,
        region=spec.region,
        status=Member.Status.ACTIVE,
    )


def resolve_members(
    state: ImportState, rows: list[Row]
) -> tuple[dict[MemberKey, Member], list[Row]]:
    """The members the rows belong to: found by country (national) or local code (local), or
    created active from the first row that names them. A local member's parent is the national
    member of its country, created too when missing. Returns the members and the rows kept."""
    summary = state.summary
    specs: dict[MemberKey, MemberSpec] = {}
    first_row: dict[MemberKey, Row] = {}
    for row in rows:
        specs.setdefault(row.member.key, row.member)
        first_row.setdefault(row.member.key, row)
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
    taken_slugs = set(Member.objects.values_list("slug", flat=True))

    created_ids = set()

    def created(new: Member, row: Row, code: str, **params) -> None:
        new._history_user = state.actor
        new.save()
        created_ids.add(new.pk)
        summary.count("members", "created")
        summary.note(row.number, "", DERIVED, code, **params)

    members: dict[MemberKey, Member] = {}
    refused: dict[MemberKey, str] = {}
    # Nationals first, so that local members find their parent.
    for key, spec in sorted(specs.items(), key=lambda item: item[0].kind != columns.NATIONAL):
        existing = (nationals if key.kind == columns.NATIONAL else locals_).get(key.code)
        if existing is not None:
            members[key] = existing
            continue
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
        member = _new_member(spec, taken_slugs, parent=parent)
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

    # Members found are left as they are; a local member's parent counts as found with it.
    found = {member.pk for member in members.values()}
    found |= {member.parent_id for member in members.values() if member.parent_id}
    summary.count("members", "unchanged", len(found - created_ids))

    kept = []
    for row in rows:
        member = members.get(row.member.key)
        if member is None:
            skip_row(state, row, "region_unknown", value=refused[row.member.key])
        elif row.identifier.rstrip("0123456789") != member.commitment_prefix:
            # The platform hands out the member's next ids after the imported ones: an id
            # under another prefix would collide with another member's.
            skip_row(
                state,
                row,
                "prefix_mismatch",
                identifier=row.identifier,
                prefix=member.commitment_prefix,
                member=member.name,
            )
        else:
            kept.append(row)
    return members, kept
