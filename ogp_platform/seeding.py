"""Demo data and benchmark data: each app brings its own, found by autodiscovery and loaded in
the order of what each needs.

An app with demo data keeps it in its `demo` module, which registers, when it is imported, the
function that loads it; benchmark data likewise in a `bench` module:

    # commitments/demo.py
    from ogp_platform import seeding

    def seed(run: seeding.DemoRun) -> None:
        plans = seed_plans(admin=run.accounts["OGP admin"], ...)
        run.say(f"{len(plans)} action plans, with commitments and milestones.")

    seeding.demo.register("commitments", seed, needs=["members"])

`manage.py seed_demo` (and `seed_bench`) imports every installed app's `demo` (`bench`) module,
as the admin finds `admin` modules (`autodiscover_modules`), then runs what they registered:
each after the registrations it `needs` (by name), otherwise in the order they registered
(autodiscovery imports the modules in the order of INSTALLED_APPS). The order is declared
rather than read from INSTALLED_APPS, because that list is ordered for other reasons (which
templates, static files and translations win) and does not follow the layers either
(participation sits below the plans and is installed after them): reordering it must not
silently break the demo. A need names what must be there first, next to the code that uses
it. A module may also register nothing and only offer helpers to the apps above it
(participation's: it knows no space to hold a consultation on, so the app owning the plans
calls them).

Demo functions receive a `DemoRun` (the core's demo accounts, by role, and the lines of the
summary; what another app's demo made, they read from the database, as demo data is
idempotent and looked up by its keys); benchmark functions a `BenchRun` (the scale, a seeded
random generator, the counts and names the command prints, and `shared`, in which a
registration leaves the rows it wrote for those that need them: the users, members, plans…,
by the keys each `bench` module's docstring names).
"""

import datetime
import itertools
import random
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules


@dataclass(frozen=True)
class Seeder:
    name: str
    seed: Callable[[Any], None]
    needs: tuple[str, ...] = ()


class Seeders:
    """The functions that load one kind of data (demo or benchmark), as apps registered them
    from their `<module>` modules."""

    def __init__(self, module: str):
        self.module = module
        self._registry: dict[str, Seeder] = {}

    def register(self, name: str, seed: Callable[[Any], None], *, needs: Iterable[str] = ()):
        """Register `seed(run)` under `name` (usually the app's label), to run after the
        registrations named in `needs`. Registering a name again replaces it."""
        self._registry[name] = Seeder(name, seed, tuple(needs))

    def discover(self) -> None:
        """Import every installed app's `<module>` module (a missing one is no error)."""
        autodiscover_modules(self.module, register_to=self)

    def in_order(self) -> list[Seeder]:
        """The registrations, each after those it needs, otherwise in registration order.
        ImproperlyConfigured when a need is not registered or needs go round in a circle."""
        for seeder in self._registry.values():
            unknown = [name for name in seeder.needs if name not in self._registry]
            if unknown:
                raise ImproperlyConfigured(
                    f"{self.module} data {seeder.name!r} needs {unknown}, which no installed "
                    "app registered"
                )
        ordered: list[Seeder] = []
        placed: set[str] = set()
        waiting = list(self._registry.values())
        while waiting:
            ready = next((s for s in waiting if placed.issuperset(s.needs)), None)
            if ready is None:
                names = sorted(s.name for s in waiting)
                raise ImproperlyConfigured(
                    f"{self.module} data needs go round in a circle: {names}"
                )
            ordered.append(ready)
            placed.add(ready.name)
            waiting.remove(ready)
        return ordered

    def run(self, run) -> None:
        """Discover the modules, then run every registration in order with `run`."""
        self.discover()
        for seeder in self.in_order():
            seeder.seed(run)


demo = Seeders("demo")
bench = Seeders("bench")


@dataclass
class DemoRun:
    """What a demo function receives: the core's demo accounts by role ("OGP admin",
    "government officer", "CSO member", "officer of Italy", "officer of Spain"), and the
    summary `seed_demo` prints (`say`)."""

    accounts: dict[str, Any]
    lines: list[str] = field(default_factory=list)

    def say(self, line: str) -> None:
        self.lines.append(line)


# Rows written in one INSERT by the benchmark's bulk writes.
BATCH = 5000
# The text of the benchmark's plans, commitments and comments: as long as a real paragraph,
# with letters beyond ASCII.
BENCH_TEXT = (
    "The register should also be published as open data, updated every week, with the names "
    "of the lobbyists and the officials they met. Ā ē ī ū — ñ à è."
)


@dataclass
class BenchRun:
    """What a benchmark function receives. It writes rows directly (no services, no history),
    in batches (`batched`), `scaled(base)` of each kind (at least one), records how many in
    `counts`, and names in `named` the objects the benchmark scripts look for (the plan with 60
    commitments…). `log` reports progress."""

    scale: float
    rng: random.Random
    now: datetime.datetime
    log: Callable[[str], None] = lambda message: None
    counts: dict[str, int] = field(default_factory=dict)
    named: dict[str, str] = field(default_factory=dict)
    shared: dict[str, Any] = field(default_factory=dict)

    def scaled(self, base: int) -> int:
        return max(1, round(base * self.scale))

    @staticmethod
    def batched(rows: Iterable, size: int = BATCH) -> Iterator[list]:
        """Lists of at most `size` items (itertools.batched arrives with Python 3.12)."""
        iterator = iter(rows)
        while batch := list(itertools.islice(iterator, size)):
            yield batch


def seed_bench(scale: float = 1.0, *, seed: int = 2026, log=lambda message: None) -> BenchRun:
    """The benchmark data set at `scale` (1: 80 members, 300 plans, 6,000 commitments, 20,000
    people, 100,000 comments, 300,000 votes), repeatable for a `seed`, in one transaction, on
    an empty database of its own. ValueError when benchmark data is already there."""
    rng = random.Random(seed)  # noqa: S311 - repeatable synthetic data, not secrets
    run = BenchRun(scale=scale, rng=rng, now=timezone.now(), log=log)
    with transaction.atomic():
        bench.run(run)
    return run
