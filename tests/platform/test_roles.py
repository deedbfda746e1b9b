"""Roles on single objects (ogp_platform/roles.py): django-guardian permissions granted and
revoked by one service that records each change, checked by a checker kept for the request
that reads a whole list at once."""

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from guardian.models import UserObjectPermission
from guardian.shortcuts import assign_perm

from ogp_platform import pagecache, roles
from ogp_platform.audit.models import ObjectRoleChange
from ogp_platform.members.models import Organisation, OrganisationUserObjectPermission
from ogp_platform.members.policies import ADMINISTER_ORGANISATION, can_edit_organisation
from tests.factories import UserFactory
from tests.members.factories import MemberFactory, OrganisationFactory
from tests.queries import assert_queries_constant

pytestmark = pytest.mark.django_db

# A permission of a model without a table of its own: guardian's generic table holds it.
CHANGE_MEMBER = "members.change_member"


def fresh(user):
    """The same person as a new object, as the next request sees them (nothing remembered)."""
    return type(user).objects.get(pk=user.pk)


def grant(user, obj, permission=ADMINISTER_ORGANISATION, actor=None):
    return roles.object_permission_grant(actor=actor, user=user, permission=permission, obj=obj)


def test_a_grant_gives_the_role_and_is_recorded():
    """The person may then do what the role allows; the record says who gave it, to whom, on
    what; granting it again changes and records nothing."""
    actor, person = UserFactory(), UserFactory()
    organisation = OrganisationFactory(name="Delna")
    assert not roles.has_object_permission(fresh(person), ADMINISTER_ORGANISATION, organisation)

    assert grant(person, organisation, actor=actor) is True

    assert roles.has_object_permission(fresh(person), ADMINISTER_ORGANISATION, organisation)
    assert can_edit_organisation(fresh(person), organisation)
    assert OrganisationUserObjectPermission.objects.filter(
        user=person, content_object=organisation
    ).exists()
    (change,) = ObjectRoleChange.objects.all()
    assert (change.user, change.changed_by, change.granted) == (person, actor, True)
    assert (change.permission, change.object_pk, change.object_repr) == (
        ADMINISTER_ORGANISATION,
        str(organisation.pk),
        "Delna",
    )
    assert grant(person, organisation, actor=actor) is False
    assert ObjectRoleChange.objects.count() == 1


def test_a_revocation_takes_the_role_and_is_recorded():
    actor, person = UserFactory(), UserFactory()
    organisation = OrganisationFactory()
    grant(person, organisation)
    assert roles.has_object_permission(fresh(person), ADMINISTER_ORGANISATION, organisation)

    assert (
        roles.object_permission_revoke(
            actor=actor, user=person, permission=ADMINISTER_ORGANISATION, obj=organisation
        )
        is True
    )

    assert not roles.has_object_permission(fresh(person), ADMINISTER_ORGANISATION, organisation)
    assert not can_edit_organisation(fresh(person), organisation)
    change = ObjectRoleChange.objects.first()
    assert (change.user, change.changed_by, change.granted) == (person, actor, False)
    # Revoking a role the person does not hold records nothing.
    assert not roles.object_permission_revoke(
        actor=actor, user=person, permission=ADMINISTER_ORGANISATION, obj=organisation
    )
    assert ObjectRoleChange.objects.count() == 2


def test_a_grant_in_the_same_request_is_seen_at_once():
    """The checker kept for the request forgets what it read when the person's roles change."""
    person = UserFactory()
    organisation = OrganisationFactory()
    assert not roles.has_object_permission(person, ADMINISTER_ORGANISATION, organisation)
    grant(person, organisation, actor=person)
    assert roles.has_object_permission(person, ADMINISTER_ORGANISATION, organisation)


def test_a_role_on_a_model_without_a_table_of_its_own_uses_guardians_and_refreshes_its_pages():
    """guardian's generic table belongs to no app of ours, so no page-cache declaration covers
    it: the grant refreshes the cached pages of the object itself."""
    person = UserFactory()
    member = MemberFactory()
    scope = pagecache.member_scope(member.pk)
    before = pagecache.generations([scope])

    assert grant(person, member, permission=CHANGE_MEMBER)

    assert UserObjectPermission.objects.filter(user=person, object_pk=str(member.pk)).exists()
    assert roles.has_object_permission(fresh(person), CHANGE_MEMBER, member)
    assert roles.holder_ids(CHANGE_MEMBER, member) == {person.pk}
    assert pagecache.generations([scope]) != before
    assert roles.object_permission_revoke(
        actor=None, user=person, permission=CHANGE_MEMBER, obj=member
    )
    assert not roles.has_object_permission(fresh(person), CHANGE_MEMBER, member)


def test_a_permission_of_another_model_is_refused():
    with pytest.raises(ValueError):
        grant(UserFactory(), OrganisationFactory(), permission="action_plans.change_actionplan")


def test_visitors_and_inactive_accounts_hold_no_role():
    person = UserFactory()
    organisation = OrganisationFactory()
    grant(person, organisation)
    assert not roles.has_object_permission(AnonymousUser(), ADMINISTER_ORGANISATION, organisation)
    roles.prefetch(AnonymousUser(), [organisation])
    person.is_active = False
    person.save(update_fields=["is_active"])
    assert not roles.has_object_permission(fresh(person), ADMINISTER_ORGANISATION, organisation)
    assert not roles.objects_with_permission(
        fresh(person), ADMINISTER_ORGANISATION, Organisation.objects.all()
    ).exists()


def test_a_superuser_may_do_everything_but_holds_no_role_by_it():
    """Like Django's permissions, the checker allows a superuser everything; the list of what
    someone administers counts grants only."""
    root = UserFactory(is_superuser=True)
    organisation = OrganisationFactory()
    assert roles.has_object_permission(root, ADMINISTER_ORGANISATION, organisation)
    assert not roles.objects_with_permission(
        root, ADMINISTER_ORGANISATION, Organisation.objects.all()
    ).exists()
    assert roles.holder_ids(ADMINISTER_ORGANISATION, organisation) == set()


def test_the_list_question_counts_grants_to_the_person_and_to_their_groups():
    person = UserFactory()
    mine, theirs, others = OrganisationFactory(), OrganisationFactory(), OrganisationFactory()
    grant(person, mine)
    group = Group.objects.create(name="Delna staff")
    group.user_set.add(person)
    # The platform grants roles to people; a grant to a group (guardian's own) counts too.
    assign_perm(ADMINISTER_ORGANISATION, group, theirs)
    grant(UserFactory(), others)
    assert set(
        roles.objects_with_permission(person, ADMINISTER_ORGANISATION, Organisation.objects.all())
    ) == {mine, theirs}


def _decided(user, organisations):
    """Decide for each organisation of a list whether the user may edit it, the way a list
    page does: one prefetch, then a policy per object."""
    roles.prefetch(user, organisations)
    allowed = [can_edit_organisation(user, o) for o in organisations]
    assert allowed.count(True) == 3


def test_a_list_of_100_costs_the_queries_of_a_list_of_10():
    person = UserFactory()
    organisations = [OrganisationFactory() for _ in range(100)]
    for organisation in organisations[:3]:
        grant(person, organisation)

    def listed(organisations):
        def setup():
            user = fresh(person)
            user.has_perm("members.onboard_member")  # the person's platform roles, read anyway
            return user, organisations

        return setup

    count = assert_queries_constant(
        lambda listing: _decided(*listing), listed(organisations[:10]), listed(organisations)
    )
    assert count == 2


def test_without_prefetching_each_object_costs_queries():
    """What the prefetch saves (and why list pages call it): unprefetched, each object is read
    on its own."""
    person = UserFactory()
    organisations = [OrganisationFactory() for _ in range(10)]
    user = fresh(person)
    user.has_perm("members.onboard_member")
    with CaptureQueriesContext(connection) as queries:
        for organisation in organisations:
            can_edit_organisation(user, organisation)
    assert len(queries) >= 10
    # Asked again in the same request, nothing is read twice.
    with CaptureQueriesContext(connection) as queries:
        for organisation in organisations:
            can_edit_organisation(user, organisation)
    assert len(queries) == 0


def test_revoking_every_role_of_a_person_records_each():
    """When an account is deleted: roles in guardian's table and in the tables of models."""
    person, other = UserFactory(), UserFactory()
    organisation, member = OrganisationFactory(name="Delna"), MemberFactory()
    grant(person, organisation)
    grant(person, member, permission=CHANGE_MEMBER)
    grant(other, organisation)

    assert roles.object_permissions_revoke_all(actor=person, user=person) == 2

    assert not roles.has_object_permission(fresh(person), ADMINISTER_ORGANISATION, organisation)
    assert not roles.has_object_permission(fresh(person), CHANGE_MEMBER, member)
    assert roles.holder_ids(ADMINISTER_ORGANISATION, organisation) == {other.pk}
    revoked = ObjectRoleChange.objects.filter(user=person, granted=False)
    assert {(c.permission, c.object_repr, c.changed_by_id) for c in revoked} == {
        (ADMINISTER_ORGANISATION, "Delna", person.pk),
        (CHANGE_MEMBER, str(member), person.pk),
    }


# --- Roles held by groups --------------------------------------------------------------------


def test_a_role_granted_to_a_group_is_held_by_its_people_and_recorded_with_its_name():
    """The people of the group hold the role while they are in it; the record names the group
    as its app calls it (a team's name), and granting it again records nothing."""
    actor, inside, outside = UserFactory(), UserFactory(), UserFactory()
    member = MemberFactory()
    group = roles.holder_group_create(label="a team")
    group.user_set.add(inside)

    assert roles.group_permission_grant(
        actor=actor, group=group, permission=CHANGE_MEMBER, obj=member, group_name="Residents"
    )

    assert roles.has_object_permission(fresh(inside), CHANGE_MEMBER, member)
    assert not roles.has_object_permission(fresh(outside), CHANGE_MEMBER, member)
    (change,) = ObjectRoleChange.objects.all()
    assert (change.user, change.group, change.group_name) == (None, group, "Residents")
    assert (change.permission, change.object_pk, change.granted, change.changed_by) == (
        CHANGE_MEMBER,
        str(member.pk),
        True,
        actor,
    )
    assert not roles.group_permission_grant(
        actor=actor, group=group, permission=CHANGE_MEMBER, obj=member, group_name="Residents"
    )
    assert ObjectRoleChange.objects.count() == 1

    group.user_set.remove(inside)
    assert not roles.has_object_permission(fresh(inside), CHANGE_MEMBER, member)


def test_a_role_revoked_from_a_group_is_recorded_once():
    actor, person = UserFactory(), UserFactory()
    member = MemberFactory()
    group = roles.holder_group_create(label="a team")
    group.user_set.add(person)
    roles.group_permission_grant(actor=actor, group=group, permission=CHANGE_MEMBER, obj=member)

    assert roles.group_permission_revoke(
        actor=actor, group=group, permission=CHANGE_MEMBER, obj=member, group_name="Residents"
    )
    assert not roles.group_permission_revoke(
        actor=actor, group=group, permission=CHANGE_MEMBER, obj=member, group_name="Residents"
    )

    assert not roles.has_object_permission(fresh(person), CHANGE_MEMBER, member)
    revoked = ObjectRoleChange.objects.get(granted=False)
    assert (revoked.group, revoked.group_name, revoked.changed_by) == (group, "Residents", actor)


def test_a_group_grant_in_the_same_request_is_seen_at_once_by_the_actor():
    """An owner who gives their own team a role sees it on the next check of the request."""
    person = UserFactory()
    member = MemberFactory()
    group = roles.holder_group_create(label="a team")
    group.user_set.add(person)
    assert not roles.has_object_permission(person, CHANGE_MEMBER, member)
    roles.group_permission_grant(actor=person, group=group, permission=CHANGE_MEMBER, obj=member)
    assert roles.has_object_permission(person, CHANGE_MEMBER, member)


def test_revoking_every_role_of_a_group_records_each_and_spares_other_groups():
    actor = UserFactory()
    first, second = MemberFactory(), MemberFactory()
    group = roles.holder_group_create(label="a team")
    other = roles.holder_group_create(label="another team")
    for member in (first, second):
        roles.group_permission_grant(actor=actor, group=group, permission=CHANGE_MEMBER, obj=member)
    roles.group_permission_grant(actor=actor, group=other, permission=CHANGE_MEMBER, obj=first)

    assert roles.group_permissions_revoke_all(actor=actor, group=group, group_name="Gone") == 2

    assert roles.group_grants([first, second]) == {
        str(first.pk): {other.pk: {CHANGE_MEMBER}},
    }
    revoked = ObjectRoleChange.objects.filter(granted=False)
    assert {(c.object_pk, c.group_name, c.group_id) for c in revoked} == {
        (str(first.pk), "Gone", group.pk),
        (str(second.pk), "Gone", group.pk),
    }


def test_the_groups_holding_roles_on_a_list_are_read_in_one_query():
    actor = UserFactory()
    members = [MemberFactory() for _ in range(6)]
    group = roles.holder_group_create(label="a team")
    for member in members[:2]:
        roles.group_permission_grant(actor=actor, group=group, permission=CHANGE_MEMBER, obj=member)
    with CaptureQueriesContext(connection) as queries:
        found = roles.group_grants(members)
    assert len(queries) == 1
    assert found == {str(m.pk): {group.pk: {CHANGE_MEMBER}} for m in members[:2]}
    assert roles.group_grants([]) == {}


def test_holder_groups_are_named_apart_and_unique():
    first = roles.holder_group_create(label="coproduction team of x" * 20)
    second = roles.holder_group_create(label="coproduction team of x" * 20)
    assert first.name != second.name
    assert len(first.name) <= 150
    assert roles.is_holder_group(first.name)
    assert not roles.is_holder_group("Moderators")
