"""The registries through which apps plug into the core, which names none of them: page-cache
scopes, audit sources, personal data, and demo and benchmark data. Each is filled by the apps
in their `AppConfig.ready()` (or, for seed data, their autodiscovered modules); a registration
made here, as a new module would make it, is picked up like theirs."""

import io

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.utils.translation import gettext_lazy

from action_plans.models import ActionPlan
from commitments.models import Commitment
from ogp_platform import pagecache, seeding
from ogp_platform.accounts import data_export, personal_data, services
from ogp_platform.audit import sources
from ogp_platform.audit.selectors import Filters, kind_choices, log_page
from ogp_platform.members.models import MemberStatusChange
from participation.models import Follow, Notification
from tests.factories import UserFactory
from tests.members.factories import MemberFactory, OrganisationFactory
from tests.plans.factories import ActionPlanFactory

pytestmark = pytest.mark.django_db


# --- Page-cache scopes -----------------------------------------------------------------------


def test_each_app_declares_its_models_page_scopes():
    """The models of the apps above the core are declared by the apps themselves."""
    from action_plans import page_scopes as plan_scopes

    assert ActionPlan in pagecache._trackers
    assert Commitment in pagecache._trackers
    assert Notification in pagecache._ignored
    plan = ActionPlanFactory()
    assert pagecache.scopes_of(plan) == (
        pagecache.member_scope(plan.member_id),
        pagecache.DIRECTORY,
        pagecache.EXPLORER,
    )
    assert plan_scopes.plan_member_scope(plan.pk) == pagecache.member_scope(plan.member_id)


def test_a_declaration_made_later_replaces_the_one_before(monkeypatch):
    """A module declaring a model (here a core one, as a test) is what changes of it touch."""
    monkeypatch.setattr(pagecache, "_trackers", dict(pagecache._trackers))
    organisation = OrganisationFactory()
    assert pagecache.scopes_of(organisation) == (pagecache.EPOCH,)
    pagecache.track(type(organisation), lambda o: (pagecache.DIRECTORY,))
    assert pagecache.scopes_of(organisation) == (pagecache.DIRECTORY,)


# --- Audit sources ---------------------------------------------------------------------------


@pytest.fixture
def status_source(monkeypatch):
    """A source registered from the test: the member status changes again, under a kind of
    their own, with entries of their own."""

    def entries(ids, lookup):
        changes = list(MemberStatusChange.objects.filter(pk__in=ids).select_related("member"))
        for change in changes:
            lookup.want(type(change.member), change.member_id)

        def build(change, _unused):
            return sources.Entry(
                kind="test_status",
                date=change.changed_at,
                actor_id=change.changed_by_id,
                subject=f"Tested: {sources.member_name(lookup, change.member_id)}",
            )

        return {change.pk: (build, change, None) for change in changes}

    source = sources.Source(
        "test_status",
        gettext_lazy("Tested status"),
        rows=MemberStatusChange.objects.all,
        date="changed_at",
        user="changed_by_id",
        member=lambda scope: {"member_id": scope.member},
        historical=False,
        entries=entries,
    )
    monkeypatch.setitem(sources.SOURCES, source.kind, source)
    return source


def test_a_registered_audit_source_is_in_the_log_its_filters_and_its_entries(status_source):
    member = MemberFactory(name="Testland")
    MemberStatusChange.objects.create(
        member=member, to_status="active", reason="Joined.", changed_by=UserFactory()
    )
    assert ("test_status", gettext_lazy("Tested status")) in kind_choices()
    page = log_page(Filters(kinds=("test_status",), member=member))
    assert [entry.subject for entry in page.entries] == ["Tested: Testland"]
    assert page.entries[0].kind_label == "Tested status"
    assert log_page(Filters(kinds=("test_status",), member=MemberFactory())).entries == []


def test_every_app_registers_the_audit_sources_of_its_models():
    assert {"plan", "transition", "commitment", "milestone", "response", "moderation"} <= set(
        sources.SOURCES
    )
    assert {"member_role", "platform_role", "member_status"} <= set(sources.SOURCES)


def test_a_member_scope_reads_what_its_sources_need_once(django_assert_num_queries):
    """The ids a source filters on (a member's plans…) are read once for every branch."""
    plan = ActionPlanFactory()
    scope = sources.MemberScope(plan.member_id)

    def read(member):
        return ActionPlan.objects.filter(member_id=member).values_list("pk", flat=True)

    with django_assert_num_queries(1):
        assert scope.ids("plans", read) == [plan.pk]
        assert scope.ids("plans", read) == [plan.pk]


# --- Personal data ---------------------------------------------------------------------------


@pytest.fixture
def registered_app(monkeypatch):
    """What an app registering its personal data from the test declares, and what it saw."""
    forgotten = []
    monkeypatch.setitem(personal_data._registry, "tested", None)  # restored after the test
    entry = personal_data.register(
        "tested",
        export=lambda user: {"tested_things": [{"owner": user.email}]},
        official_records=[
            personal_data.OfficialRecord(
                "tested_plans_started",
                ActionPlan,
                person="created_by",
                values={"plan_identifier": "identifier"},
                order="identifier",
            )
        ],
        forget=forgotten.append,
    )
    return entry, forgotten


def test_an_apps_personal_data_is_in_the_export(registered_app):
    person = UserFactory(email="tested@example.org")
    plan = ActionPlanFactory(created_by=person)
    data = data_export.user_data(person)
    assert data["tested_things"] == [{"owner": "tested@example.org"}]
    assert data["official_records"]["tested_plans_started"] == [
        {"plan_identifier": plan.identifier}
    ]
    # The apps' sections come before the official records and the history's counts.
    keys = list(data)
    assert keys.index("tested_things") < keys.index("official_records")
    assert keys[-2:] == ["official_records", "changes_recorded_in_history"]


def test_what_an_app_forgets_is_forgotten_when_the_account_is_deleted(registered_app):
    _entry, forgotten = registered_app
    person = UserFactory()
    services.account_delete(user=person)
    assert [user.pk for user in forgotten] == [person.pk]


def test_a_section_may_not_be_declared_twice(monkeypatch):
    monkeypatch.setitem(personal_data._registry, "clashing", None)
    personal_data.register("clashing", export=lambda user: {"profile": {}})
    with pytest.raises(ImproperlyConfigured, match="profile"):
        data_export.user_data(UserFactory())


def test_participation_forgets_what_only_served_the_person():
    """Participation declares its follows, notifications and setting: deleting the account
    removes them (the core names none of them)."""
    assert [app.name for app in personal_data.registered()][:3] == [
        "action_plans",
        "commitments",
        "participation",
    ]
    plan = ActionPlanFactory()
    person = UserFactory()
    plan_type = ContentType.objects.get_for_model(plan)
    Follow.objects.create(target_type=plan_type, target_id=plan.pk, user=person)
    services.account_delete(user=person)
    assert not Follow.objects.filter(user=person).exists()


# --- Demo and benchmark data -----------------------------------------------------------------


def _noop(run):
    pass


def test_seeders_run_after_what_they_need_otherwise_in_registration_order():
    registry = seeding.Seeders("tested")
    registry.register("participation", _noop, needs=["plans"])
    registry.register("members", _noop)
    registry.register("plans", _noop, needs=["members"])
    registry.register("extra", _noop)
    assert [s.name for s in registry.in_order()] == ["members", "plans", "participation", "extra"]


def test_a_seeder_needing_what_nobody_registered_or_going_round_is_refused():
    registry = seeding.Seeders("tested")
    registry.register("plans", _noop, needs=["members"])
    with pytest.raises(ImproperlyConfigured, match="members"):
        registry.in_order()
    registry.register("members", _noop, needs=["plans"])
    with pytest.raises(ImproperlyConfigured, match="circle"):
        registry.in_order()


def test_registering_a_name_again_replaces_it():
    registry = seeding.Seeders("tested")
    registry.register("members", _noop)
    registry.register("members", print)
    (only,) = registry.in_order()
    assert only.seed is print


def test_each_apps_demo_and_bench_modules_are_found():
    """Found by autodiscovery, each after what it needs."""
    seeding.demo.discover()
    seeding.bench.discover()
    demo = [s.name for s in seeding.demo.in_order()]
    assert demo.index("members") < demo.index("commitments")
    bench = [s.name for s in seeding.bench.in_order()]
    assert bench.index("accounts") < bench.index("action_plans") < bench.index("commitments")
    assert bench.index("members") < bench.index("action_plans")


def test_seed_demo_runs_a_registration_after_those_it_needs(settings, monkeypatch):
    """A module's demo data, registered like an app's, runs once the plans it needs are there,
    with the demo accounts, and its lines end the summary."""
    settings.DEBUG = True
    seeding.demo.discover()
    seen = {}

    def seed(run):
        seen["plans"] = ActionPlan.objects.count()
        seen["admin"] = run.accounts["OGP admin"].email
        run.say("Tested demo data loaded.")

    monkeypatch.setitem(
        seeding.demo._registry, "tested", seeding.Seeder("tested", seed, ("commitments",))
    )
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    assert seen["plans"] > 0
    assert seen["admin"] == "admin@demo.ogp.example"
    assert out.getvalue().rstrip().endswith("Tested demo data loaded.")


def test_seed_bench_runs_a_registration_with_the_data_it_needs(monkeypatch):
    seeding.bench.discover()
    seen = {}

    def seed(run):
        seen["plans"] = len(run.shared["plans"])
        run.counts["tested"] = run.scaled(1000)
        run.named["tested"] = "yes"

    monkeypatch.setitem(
        seeding.bench._registry, "tested", seeding.Seeder("tested", seed, ("action_plans",))
    )
    run = seeding.seed_bench(0.01)
    assert seen["plans"] == run.counts["plans"] == 3
    assert run.counts["tested"] == 10
    assert run.named["tested"] == "yes"
