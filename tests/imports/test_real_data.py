"""OGP's real data: commitment ids under OGP's own prefixes (UK, MO, PNG), members that are
neither national nor local (Kosovo, "Other"), and the one conflict that skips a row, the same id
under two members. Ids drafted later on such a member go on with its real prefix."""

import pytest

from commitments.importer import import_commitments
from commitments.models import Commitment
from commitments.services import commitment_create
from ogp_platform.members import countries
from ogp_platform.members.models import Member, MemberRole
from tests.factories import UserFactory
from tests.imports.dataset import IRM_HEADER, dataset_bytes, irm_export, latvia
from tests.members.factories import MemberFactory
from tests.plans.factories import ActionPlanFactory, CommitmentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def actor():
    return UserFactory(display_name="Irma Importer")


def run(rows, actor, **kwargs):
    return import_commitments(source=dataset_bytes(rows, header=IRM_HEADER), actor=actor, **kwargs)


def notes(summary, code):
    return [note for note in summary.notes if note.code == code]


def draft_commitment(member, actor, title="Drafted on the platform"):
    """A commitment an officer of the member adds to a new draft plan."""
    officer = UserFactory()
    MemberRole.objects.create(member=member, user=officer, role="officer", granted_by=actor)
    sequence = member.action_plans.count() + 10
    plan = ActionPlanFactory(member=member, sequence=sequence, status="draft")
    return commitment_create(actor=officer, plan=plan, title=title)


def test_an_irm_export_imports_every_row_but_the_one_id_under_two_members(actor):
    """UK, MO and PNG ids, Kosovo ("Other") and the usual members all go in; only the row that
    gives Morocco an id of the United Kingdom's is skipped, and the report says why."""
    rows = irm_export(per_member=2)
    summary = run(rows, actor)

    imported = set(Commitment.objects.values_list("identifier", flat=True))
    assert imported == {
        "UK0001",
        "UK0002",
        "MO0001",
        "MO0002",
        "PNG0001",
        "PNG0002",
        "XK0001",
        "XK0002",
        "LV0019",
        "MAD0005",
    }
    assert Commitment.objects.get(identifier="UK0001").plan.member.country == "GB"
    skipped = [note for note in summary.notes if note.level == "skipped"]
    assert [(note.row, note.code) for note in skipped] == [
        (len(rows) + 1, "identifier_of_two_members")
    ]
    assert skipped[0].params == {
        "identifier": "UK0001",
        "first_row": 2,
        "other": "United Kingdom",
        "member": "Morocco",
    }
    assert "United Kingdom" in skipped[0].message and "Morocco" in skipped[0].message
    assert summary.counts["commitments"] == {
        "created": 10,
        "updated": 0,
        "unchanged": 0,
        "skipped": 1,
    }


def test_at_least_99_percent_of_a_large_export_is_imported(actor):
    """With fifty commitments for each of four members, the one conflict is under 1 % of the
    rows."""
    rows = irm_export(per_member=50)
    summary = run(rows, actor)
    assert summary.counts["commitments"]["created"] / summary.rows >= 0.99
    assert summary.skipped_rows == 1


def test_members_take_the_prefix_their_ids_share(actor):
    """The prefix OGP uses for a member is recorded on it; the others keep the derived one."""
    summary = run(irm_export(), actor)
    prefixes = {
        member.country: (member.commitment_id_prefix, member.commitment_prefix)
        for member in Member.objects.filter(kind="national")
    }
    assert prefixes == {
        "GB": ("UK", "UK"),
        "MA": ("MO", "MO"),
        "PG": ("PNG", "PNG"),
        "XK": ("", "XK"),
        "LV": ("", "LV"),
        "ES": ("", "ES"),
    }
    learned = {note.params["member"]: note for note in notes(summary, "prefix_learned")}
    assert set(learned) == {"United Kingdom", "Morocco", "Papua New Guinea"}
    assert learned["United Kingdom"].params["default"] == "GB"
    assert "UK is recorded as its prefix" in learned["United Kingdom"].message
    assert not notes(summary, "prefix_differs")


def test_kosovo_marked_other_is_a_national_member(actor):
    """ "Other" members take part as national ones; Kosovo, which ISO 3166-1 lacks, is XK."""
    run(irm_export(), actor)
    kosovo = Member.objects.get(name="Kosovo")
    assert (kosovo.kind, kosovo.country, kosovo.country_alpha3) == ("national", "XK", "XKX")
    assert kosovo.country_name == "Kosovo" and kosovo.region == "europe"
    assert kosovo.action_plans.get().identifier == "AP_XKX01"
    assert countries.by_name("Kosovo") == countries.by_alpha3("XKX") == "XK"
    assert ("XK", "Kosovo") in countries.choices("en")


def test_the_kosovo_member_page_shows(client, actor):
    """The page of an imported Kosovo, a country pycountry lacks, shows."""
    run(irm_export(), actor)
    page = client.get(Member.objects.get(country="XK").get_absolute_url())
    assert page.status_code == 200 and "Kosovo" in page.content.decode()


def test_an_other_member_of_a_country_nobody_knows_is_skipped_with_a_reason(actor):
    """A country neither ISO 3166-1 nor OGP's extra codes know skips its row, not the import."""
    atlantis = {"Country/Locality": "Atlantis", "Code": "ATL", "National Or Local": "Other"}
    summary = run([latvia("LV0001"), latvia("AT0001", **atlantis)], actor)
    assert [note.code for note in summary.notes if note.level == "skipped"] == ["country_unknown"]
    assert Commitment.objects.get().identifier == "LV0001"


def test_commitments_drafted_later_continue_the_members_real_prefix(actor):
    """After the import, a commitment drafted on the United Kingdom's new plan is UK0003, on
    Papua New Guinea's PNG0003; Latvia's still LV0020."""
    run(irm_export(), actor)
    uk = Member.objects.get(country="GB")
    assert draft_commitment(uk, actor).identifier == "UK0003"
    assert draft_commitment(Member.objects.get(country="PG"), actor).identifier == "PNG0003"
    assert draft_commitment(Member.objects.get(country="LV"), actor).identifier == "LV0020"
    assert draft_commitment(Member.objects.get(country="XK"), actor).identifier == "XK0003"


def test_a_member_without_a_recorded_prefix_keeps_the_derived_one():
    """Members created on the platform number their commitments as before."""
    member = MemberFactory(country="LV")
    assert member.commitment_id_prefix == "" and member.commitment_prefix == "LV"
    assert draft_commitment(member, UserFactory()).identifier == "LV0001"


def test_running_the_export_again_changes_nothing(actor):
    """A second run of the export changes no member, records no prefix, writes nothing."""
    rows = irm_export()
    first = run(rows, actor)
    history = Member.history.count()
    second = run(rows, actor)
    assert second.counts["members"] == {
        "created": 0,
        "updated": 0,
        "unchanged": first.counts["members"]["created"],
        "skipped": 0,
    }
    assert second.counts["commitments"]["unchanged"] == first.counts["commitments"]["created"]
    assert second.counts["commitments"]["created"] == second.counts["commitments"]["updated"] == 0
    assert Member.history.count() == history
    assert not notes(second, "prefix_learned")


def test_an_existing_member_learns_its_prefix_once(actor):
    """The United Kingdom, onboarded on the platform (GB), takes OGP's UK: one change, in its
    history by the acting user; the next run leaves it be."""
    uk = MemberFactory(country="GB", country_alpha3="GBR", name="United Kingdom")
    summary = run(irm_export(), actor)
    uk.refresh_from_db()
    assert uk.commitment_prefix == "UK"
    assert summary.counts["members"]["updated"] == 1
    latest = uk.history.first()
    assert (latest.history_type, latest.history_user, latest.commitment_id_prefix) == (
        "~",
        actor,
        "UK",
    )
    again = run(irm_export(), actor)
    assert again.counts["members"]["updated"] == 0


def test_an_existing_member_with_platform_ids_goes_on_after_the_highest_number(actor):
    """GB0007 was drafted before the import learnt UK: the next id is UK0008, never a number
    used before."""
    uk = MemberFactory(country="GB", country_alpha3="GBR", name="United Kingdom")
    CommitmentFactory(
        identifier="GB0007",
        number=7,
        plan=ActionPlanFactory(member=uk, sequence=1, status="ended", published=True),
    )
    run(irm_export(), actor)
    assert draft_commitment(uk, actor).identifier == "UK0008"


def test_a_recorded_prefix_is_kept(actor):
    """A member whose prefix is already recorded keeps it when a file uses another one; the rows
    go in with their ids, and a note says so."""
    MemberFactory(country="GB", country_alpha3="GBR", commitment_id_prefix="UK")
    rows = [
        {
            **row,
            "Commitment Unique Identifier": row["Commitment Unique Identifier"].replace("UK", "GB"),
        }
        for row in irm_export()
        if row.get("Code") == "GBR"
    ]
    summary = run(rows, actor)
    assert Member.objects.get(country="GB").commitment_prefix == "UK"
    assert set(Commitment.objects.values_list("identifier", flat=True)) == {"GB0001", "GB0002"}
    (note,) = notes(summary, "prefix_kept")
    assert note.params["prefix"] == "GB" and note.params["current"] == "UK"


def test_another_members_prefix_is_not_taken_and_numbering_never_collides(actor):
    """Estonia's rows all start with LV, Latvia's prefix: Estonia keeps EE (with a note), the
    rows go in, and Latvia's next drafted id passes over the numbers Estonia holds."""
    latvia_member = MemberFactory(country="LV", country_alpha3="LVA", name="Latvia")
    estonia = {
        "Country/Locality": "Estonia",
        "Code": "EST",
        "Action Plan ID": "AP_EST01",
        "Action Plan Number": "1",
    }
    summary = run([latvia("LV0030", **estonia), latvia("LV0031", **estonia)], actor)
    assert Member.objects.get(country="EE").commitment_prefix == "EE"
    (note,) = notes(summary, "prefix_taken")
    assert (note.params["prefix"], note.params["other"]) == ("LV", "Latvia")
    assert summary.counts["commitments"]["created"] == 2
    assert draft_commitment(latvia_member, actor).identifier == "LV0032"


def test_two_members_cannot_learn_one_prefix(actor):
    """The first member whose ids share a prefix gets it; a second one keeps its own."""
    rows = [row for row in irm_export() if row.get("Code") == "GBR"]
    rows += [
        {**row, "Commitment Unique Identifier": f"UK{n:04d}"}
        for n, row in enumerate((row for row in irm_export() if row.get("Code") == "PNG"), start=50)
    ]
    summary = run(rows, actor)
    assert Member.objects.get(country="GB").commitment_prefix == "UK"
    assert Member.objects.get(country="PG").commitment_prefix == "PG"
    assert notes(summary, "prefix_taken")[0].params["other"] == "United Kingdom"


def test_an_id_held_by_another_member_is_the_conflict_that_skips(actor):
    """The same id already under another member on the platform skips the row."""
    CommitmentFactory(
        identifier="UK0001",
        number=1,
        plan=ActionPlanFactory(member=MemberFactory(country="IE"), status="ended", published=True),
    )
    summary = run(irm_export(), actor)
    assert [note.identifier for note in notes(summary, "commitment_of_other_member")] == ["UK0001"]
    assert Commitment.objects.filter(identifier="UK0002", plan__member__country="GB").exists()


def test_numbering_passes_over_ids_another_member_holds_under_the_prefix(actor):
    """An id OGP's data files under another member (Estonia's LV0001) is never handed out again
    to the member whose prefix it bears."""
    latvia_member = MemberFactory(country="LV", country_alpha3="LVA", name="Latvia")
    CommitmentFactory(
        identifier="LV0001",
        number=1,
        plan=ActionPlanFactory(member=MemberFactory(country="EE"), status="ended", published=True),
    )
    assert draft_commitment(latvia_member, actor).identifier == "LV0002"
