"""Benchmark data (see `ogp_platform.seeding`): 80 members at scale 1 (national governments of
the first countries, then local governments), each with three institutions. Leaves them in
`run.shared["members"]` and `run.shared["institutions"]` (by member id)."""

import datetime

import pycountry

from ogp_platform import seeding

from .models import Institution, Member, Region

REGIONS = [choice for choice, _label in Region.choices]


def _members(n: int) -> list[Member]:
    countries = sorted(pycountry.countries, key=lambda c: c.alpha_2)
    rows = []
    for i in range(n):
        if i < len(countries):
            country = countries[i]
            rows.append(
                Member(
                    kind=Member.Kind.NATIONAL,
                    name=f"{country.name}",
                    slug=f"bench-{country.alpha_2.lower()}",
                    country=country.alpha_2,
                    country_alpha3=country.alpha_3,
                    region=REGIONS[i % len(REGIONS)],
                    status="active",
                    date_joined=datetime.date(2011 + i % 12, 9, 20),
                )
            )
        else:  # more members than countries: local governments of the first countries
            country = countries[i % len(countries)]
            code = f"L{i:02d}"[-3:]
            rows.append(
                Member(
                    kind=Member.Kind.LOCAL,
                    name=f"City {i}, {country.name}",
                    slug=f"bench-local-{i}",
                    country=country.alpha_2,
                    country_alpha3=country.alpha_3,
                    local_code=code,
                    region=REGIONS[i % len(REGIONS)],
                    status="active",
                )
            )
    return Member.objects.bulk_create(rows)


def _institutions(members) -> dict[int, list[Institution]]:
    rows = [
        Institution(member=member, name=f"{name} of {member.name}")
        for member in members
        for name in ("Ministry of Finance", "Ministry of Justice", "Open Data Agency")
    ]
    by_member: dict[int, list[Institution]] = {}
    for institution in Institution.objects.bulk_create(rows):
        by_member.setdefault(institution.member_id, []).append(institution)
    return by_member


def seed(run: seeding.BenchRun) -> None:
    members = _members(run.scaled(80))
    run.shared["members"] = members
    run.shared["institutions"] = _institutions(members)
    run.counts["members"] = len(members)
    run.log(f"members: {len(members)}")


seeding.bench.register("members", seed)
