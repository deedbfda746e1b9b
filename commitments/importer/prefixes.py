"""The members' commitment-id prefixes, learnt from the file.

The platform derives a member's prefix (alpha-2, LV0047, or the local code, MAD0005), but OGP's
data gives some members one of its own: UK for the United Kingdom, MO for Morocco, PNG for Papua
New Guinea. When all of a member's ids in the file share one prefix that no other member has,
that prefix is recorded on the member (`Member.commitment_id_prefix`), and ids drafted later on
the platform go on with it. A row is never skipped for its prefix: its id is imported as it is.
"""

from collections import Counter
from dataclasses import dataclass, field

from ogp_platform.members.models import Member

from .rows import MemberKey, MemberSpec, Row
from .state import ImportState
from .summary import DERIVED


def prefix_of(identifier: str) -> str:
    return identifier.rstrip("0123456789")


@dataclass
class PrefixDecision:
    """What the import does with a member's prefix: `store` is the prefix to record on the
    member (None: leave it as it is); `code` and `params` make the member's note, if any."""

    store: str | None = None
    code: str = ""
    params: dict = field(default_factory=dict)


def _default_prefix(key: MemberKey) -> str:
    """The prefix the platform derives for a member not yet created: its country's alpha-2
    (a national member's key) or its local code (a local one's)."""
    return key.code


def _prefixes_in_use(specs: dict[MemberKey, MemberSpec]) -> dict[str, tuple[object, str]]:
    """Prefix → (owner, name) for every member, stored or about to be created: both the prefix
    it has and the one the platform would derive, so no member takes another's country code."""
    in_use: dict[str, tuple[object, str]] = {}
    for pk, kind, country, local_code, stored, name in Member.objects.values_list(
        "pk", "kind", "country", "local_code", "commitment_id_prefix", "name"
    ):
        for prefix in (stored, local_code if kind == Member.Kind.LOCAL else country):
            if prefix:
                in_use.setdefault(prefix, (pk, name))
    for key, spec in specs.items():
        in_use.setdefault(_default_prefix(key), (key, spec.name))
    return in_use


def _decide(
    used: Counter, member: Member | None, key: MemberKey, name: str, in_use: dict
) -> PrefixDecision:
    """One member's prefix, from the prefixes its rows use."""
    owner = member.pk if member is not None else key
    current = member.commitment_prefix if member is not None else _default_prefix(key)
    stored = member.commitment_id_prefix if member is not None else ""
    if len(used) != 1:
        # Several prefixes: none is the member's for sure; the rows say so one by one.
        return PrefixDecision()
    (prefix,) = used
    if prefix == current:
        return PrefixDecision()
    params = {"member": name, "prefix": prefix, "current": current}
    if stored:
        return PrefixDecision(code="prefix_kept", params=params)
    other = in_use.get(prefix)
    if other is not None and other[0] != owner:
        return PrefixDecision(code="prefix_taken", params={**params, "other": other[1]})
    in_use[prefix] = (owner, name)
    return PrefixDecision(store=prefix, code="prefix_learned", params=params)


def decide_prefixes(
    rows: list[Row], specs: dict[MemberKey, MemberSpec], found: dict[MemberKey, Member]
) -> dict[MemberKey, PrefixDecision]:
    """Each member's prefix after the import: the one all its rows share, when it is not
    another member's and the member has no recorded prefix of its own; else the one it has."""
    used: dict[MemberKey, Counter] = {}
    for row in rows:
        used.setdefault(row.member.key, Counter())[prefix_of(row.identifier)] += 1
    in_use = _prefixes_in_use(specs)
    return {
        key: _decide(used[key], found.get(key), key, spec.name, in_use)
        for key, spec in specs.items()
    }


def store_prefix(state: ImportState, member: Member, decision: PrefixDecision) -> bool:
    """Record a learnt prefix on a member that existed before the import. Returns whether the
    member changed."""
    if decision.store is None or member.commitment_id_prefix == decision.store:
        return False
    member.commitment_id_prefix = decision.store
    member._history_user = state.actor
    member.save(update_fields=["commitment_id_prefix"])
    return True


def note_prefixes(
    state: ImportState,
    rows: list[Row],
    members: dict[MemberKey, Member],
    decisions: dict[MemberKey, PrefixDecision],
) -> None:
    """A note on the member's first row when its prefix was learnt or could not be; a note on
    each row whose id does not start with its member's prefix, when the member's ids in the
    file use several."""
    noted = set()
    for row in rows:
        key = row.member.key
        decision, member = decisions[key], members[key]
        if decision.code and key not in noted:
            noted.add(key)
            state.summary.note(
                row.number,
                "",
                DERIVED,
                decision.code,
                default=member.default_commitment_prefix,
                **decision.params,
            )
        elif not decision.code and prefix_of(row.identifier) != member.commitment_prefix:
            row.adjust(
                "prefix_differs",
                identifier=row.identifier,
                prefix=member.commitment_prefix,
                member=member.name,
            )
