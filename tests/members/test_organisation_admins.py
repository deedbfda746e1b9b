"""An organisation's administrators: a role on the organisation held as a django-guardian
permission (`members.administer_organisation`), granted and taken on the organisation's page,
recorded in the audit log, and moved there from the old `role` field by a migration."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils import timezone

from ogp_platform import roles
from ogp_platform.audit.models import ObjectRoleChange
from ogp_platform.members import services
from ogp_platform.members.models import OrganisationMembership
from ogp_platform.members.policies import ADMINISTER_ORGANISATION
from tests.factories import UserFactory
from tests.members.factories import OrganisationFactory, OrganisationMembershipFactory
from tests.queries import assert_queries_constant, get_ok

pytestmark = pytest.mark.django_db


def admin_url(membership, grant: bool) -> tuple[str, dict]:
    url = reverse("members:organisation_admin", args=[membership.organisation.slug, membership.pk])
    return url, {"grant": "1" if grant else "0"}


def edit_url(organisation) -> str:
    return reverse("members:organisation_edit", args=[organisation.slug])


def test_a_person_made_administrator_may_then_administer_and_the_log_says_who_did_it(client):
    """Made an administrator by another, a member edits the organisation and decides who
    joins; once the role is taken away, no more. The audit log records both acts."""
    organisation = OrganisationFactory(name="Delna")
    founder = OrganisationMembershipFactory(
        organisation=organisation, user=UserFactory(display_name="Inese"), admin=True
    )
    speaker = OrganisationMembershipFactory(
        organisation=organisation, user=UserFactory(display_name="Kārlis")
    )
    client.force_login(speaker.user)
    assert client.get(edit_url(organisation)).status_code == 403

    client.force_login(founder.user)
    response = client.post(*admin_url(speaker, grant=True), follow=True)
    assert "Kārlis is now an administrator of the organisation." in response.content.decode()

    client.force_login(speaker.user)
    assert client.get(edit_url(organisation)).status_code == 200
    html = client.get(organisation.get_absolute_url()).content.decode()
    assert "You speak for this organisation (Administrator)." in html
    assert "Requests to join" in html

    client.force_login(founder.user)
    client.post(*admin_url(speaker, grant=False))
    client.force_login(speaker.user)
    assert client.get(edit_url(organisation)).status_code == 403
    assert "(Member)." in client.get(organisation.get_absolute_url()).content.decode()
    speaker.refresh_from_db()
    assert speaker.status == OrganisationMembership.Status.APPROVED

    changes = ObjectRoleChange.objects.filter(user=speaker.user).order_by("pk")
    assert [(c.granted, c.changed_by) for c in changes] == [
        (True, founder.user),
        (False, founder.user),
    ]
    log = UserFactory(is_superuser=True)
    client.force_login(log)
    html = client.get(reverse("audit:log"), {"kind": "object_role"}).content.decode()
    assert "“Administer the organisation” on Delna given to Kārlis" in html
    assert "“Administer the organisation” on Delna taken from Kārlis" in html


def test_the_last_administrator_stays(client):
    """Nobody leaves an organisation without an administrator by a click, not even by
    stepping down."""
    only = OrganisationMembershipFactory(admin=True)
    client.force_login(only.user)
    response = client.post(*admin_url(only, grant=False), follow=True)
    assert "is the organisation&#x27;s only administrator" in response.content.decode()
    assert roles.holder_ids(ADMINISTER_ORGANISATION, only.organisation) == {only.user_id}
    assert not ObjectRoleChange.objects.filter(granted=False).exists()


def test_only_people_who_speak_for_it_become_administrators(client):
    organisation = OrganisationFactory()
    admin = OrganisationMembershipFactory(organisation=organisation, admin=True)
    waiting = OrganisationMembershipFactory(
        organisation=organisation, status=OrganisationMembership.Status.PENDING
    )
    client.force_login(admin.user)
    assert client.post(*admin_url(waiting, grant=True)).status_code == 404
    with pytest.raises(ValidationError):
        services.organisation_admin_grant(actor=admin.user, membership=waiting)
    assert roles.holder_ids(ADMINISTER_ORGANISATION, organisation) == {admin.user_id}


def test_the_page_marks_the_administrators_and_offers_the_controls_to_them_only(client):
    organisation = OrganisationFactory()
    admin = OrganisationMembershipFactory(
        organisation=organisation, user=UserFactory(display_name="Zane"), admin=True
    )
    OrganisationMembershipFactory(organisation=organisation, user=UserFactory(display_name="Anna"))
    html = client.get(organisation.get_absolute_url()).content.decode()
    # Administrators first, whatever their names.
    assert html.index("Zane") < html.index("Anna")
    assert html.count('<span class="badge">Administrator</span>') == 1
    assert "Make administrator" not in html

    client.force_login(admin.user)
    html = client.get(organisation.get_absolute_url()).content.decode()
    assert 'Make administrator<span class="visually-hidden"> <bdi>Anna</bdi>' in html
    # The only administrator is offered no way to remove themselves.
    assert "Remove as administrator" not in html


def test_the_directory_offers_to_edit_the_organisations_one_administers_in_constant_queries(
    client,
):
    """A page of 2 organisations and a page of 20 cost the same queries: the person's roles on
    all of them are read at once."""
    person = UserFactory()
    client.force_login(person)
    organisations = [OrganisationFactory(name=f"Org {n:02}") for n in range(2)]
    OrganisationMembershipFactory(organisation=organisations[0], user=person, admin=True)
    pages = []

    def directory(_):
        pages.append(get_ok(client, reverse("members:organisations")).content.decode())

    def more():
        organisations.extend(OrganisationFactory(name=f"Org {n:02}") for n in range(2, 20))
        for organisation in organisations[5:16]:
            OrganisationMembershipFactory(organisation=organisation, user=person, admin=True)

    assert_queries_constant(directory, None, more)
    small, large = pages
    assert small.count(">Edit<") == 1
    assert edit_url(organisations[0]) in small and edit_url(organisations[1]) not in small
    assert large.count(">Edit<") == 12


def test_registering_an_organisation_makes_the_founder_its_administrator():
    founder = UserFactory()
    organisation = services.organisation_create(
        actor=founder, name="Open Data Collective", kind="cso", country="LV"
    )
    assert roles.holder_ids(ADMINISTER_ORGANISATION, organisation) == {founder.pk}
    change = ObjectRoleChange.objects.get()
    assert (change.user, change.changed_by, change.granted) == (founder, founder, True)


# --- The migration ---------------------------------------------------------------------------

BEFORE = [("members", "0008_organisation_administer_permission")]
AFTER = [("members", "0010_remove_organisationmembership_role")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


# Migrations change the schema, which needs committed transactions; the data the migrations
# create (groups, permissions) is put back for the tests that follow.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_migration_moves_the_administrators_to_guardian_and_back():
    """Approved administrators get the permission and a record dated when they were approved,
    by whom; members and requests get nothing. Backwards, the holders are administrators
    again."""
    try:
        old = _migrate(BEFORE)
        User = old.get_model("accounts", "User")
        Organisation = old.get_model("members", "Organisation")
        Membership = old.get_model("members", "OrganisationMembership")
        decider, admin, speaker, asker = (
            User.objects.create(email=f"{name}@example.org", display_name=name)
            for name in ("decider", "admin", "speaker", "asker")
        )
        delna = Organisation.objects.create(
            name="Delna", name_key="delna", slug="delna", kind="cso", country="LV"
        )
        approved_at = timezone.now() - datetime.timedelta(days=400)
        Membership.objects.create(
            organisation=delna,
            user=admin,
            role="admin",
            status="approved",
            decided_by=decider,
            decided_at=approved_at,
        )
        Membership.objects.create(
            organisation=delna, user=speaker, role="member", status="approved"
        )
        Membership.objects.create(organisation=delna, user=asker, role="admin", status="pending")

        new = _migrate(AFTER)
        Grant = new.get_model("members", "OrganisationUserObjectPermission")
        Change = new.get_model("audit", "ObjectRoleChange")
        grants = Grant.objects.values_list("user_id", "content_object_id", "permission__codename")
        assert list(grants) == [(admin.pk, delna.pk, "administer_organisation")]
        (change,) = Change.objects.all()
        assert (change.user_id, change.changed_by_id, change.changed_at, change.granted) == (
            admin.pk,
            decider.pk,
            approved_at,
            True,
        )
        assert (change.permission, change.object_repr) == (ADMINISTER_ORGANISATION, "Delna")

        old = _migrate(BEFORE)
        Membership = old.get_model("members", "OrganisationMembership")
        roles_back = dict(Membership.objects.values_list("user_id", "role"))
        assert roles_back == {admin.pk: "admin", speaker.pk: "member", asker.pk: "member"}

        # Forwards again: nothing granted or recorded twice.
        new = _migrate(AFTER)
        assert new.get_model("members", "OrganisationUserObjectPermission").objects.count() == 1
        assert new.get_model("audit", "ObjectRoleChange").objects.count() == 1
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
