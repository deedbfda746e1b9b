"""One plan's reasoned-response register as CSV and JSON: exactly what the public report "How
input was considered" shows. A hidden or deleted comment's text is not in the files, nor is a
response before it is given; cells a spreadsheet would run as formulas are neutralised."""

import re

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from commitments.opendata import REGISTER_COLUMNS
from ogp_platform.opendata import LICENCE_URL
from participation.links import args_of
from participation.models import Input
from participation.services.moderation import comment_hide
from tests.factories import UserFactory
from tests.members.factories import OrganisationFactory
from tests.opendata.helpers import body, csv_records, csv_table, json_file
from tests.participation.test_register import (
    officer_of,
    quick_comment_input,
    quick_input,
    ready_plan,
    record,
    respond,
)

pytestmark = pytest.mark.django_db

REGISTER_HEADER = [
    "plan_id",
    "input_number",
    "received_on",
    "source",
    "contributor_name",
    "organisation",
    "contributor_kind",
    "comment_status",
    "text",
    "moderation_reason",
    "comment_url",
    "disposition",
    "reason",
    "merged_into_input_number",
    "taken_into_commitment_id",
    "taken_into_url",
    "responded_on",
    "organisation_verified",
    "official_member",
]
HOSTILE = '=HYPERLINK("http://evil.example/","Click")'
SECRETS = ("SECRET-HIDDEN-TEXT", "SECRET-DELETED-TEXT", "SECRET-DRAFT-REASON")


def url(plan, fmt="csv"):
    return reverse("commitments:plan_register", args=[plan.identifier, fmt])


@pytest.fixture
def register():
    plan = ready_plan()
    officer = officer_of(plan)
    moderator = UserFactory()
    Group.objects.get(name="Moderators").user_set.add(moderator)
    commitment = plan.commitments.get()

    published = quick_comment_input(
        plan,
        author=UserFactory(display_name="Anna Bērziņa"),
        body="Lūdzu publicējiet līgumus ātrāk — ne vēlāk kā nedēļā.",
    )
    published.comment.organisation = OrganisationFactory(name="Sabiedrība par atklātību – Delna")
    published.comment.save(update_fields=["organisation"])
    respond(officer, published, reason="Iekļauts apņēmumā.", taken_into=commitment)

    hidden = quick_comment_input(plan, body="SECRET-HIDDEN-TEXT")
    comment_hide(actor=moderator, comment=hidden.comment, reason="Personas dati.")
    respond(officer, hidden, disposition="out_of_scope", reason="Ārpus plāna.")

    deleted = quick_comment_input(plan, body="SECRET-DELETED-TEXT")
    deleted.comment.body = "SECRET-DELETED-TEXT"
    deleted.comment.deleted_at = timezone.now()
    deleted.comment.save(update_fields=["body", "deleted_at"])

    hostile = record(officer, plan, text=HOSTILE, author_name="+1", organisation_name="-1")
    respond(officer, hostile, disposition="not_accepted", reason="@SUM(A1:A2)")

    merged = record(officer, plan, text="The same as the previous one.", author_name="")
    respond(officer, merged, disposition="merged", reason="Same request.", merged_into=hostile)
    # The service trims text; a tab or carriage return may still come from elsewhere (an import).
    Input.objects.filter(pk=merged.pk).update(text="\tThe same as the previous one.")

    pending = quick_input(plan, text="Still pending.", reason="SECRET-DRAFT-REASON")
    anonymous_name = quick_comment_input(plan, author=UserFactory(display_name=""), body="Hi.")
    return {
        "plan": plan,
        "commitment": commitment,
        "published": published,
        "hidden": hidden,
        "deleted": deleted,
        "hostile": hostile,
        "merged": merged,
        "pending": pending,
        "nameless": anonymous_name,
    }


def by_number(records) -> dict:
    return {int(r["input_number"]): r for r in records}


def test_the_register_csv_has_the_documented_columns(client, register):
    response = client.get(url(register["plan"]))
    assert response["Content-Disposition"] == (
        f'attachment; filename="{register["plan"].identifier}-register.csv"'
    )
    assert response["Link"] == f'<{LICENCE_URL}>; rel="license"'
    header, *rows = csv_table(response)
    assert header == REGISTER_HEADER == [column.name for column in REGISTER_COLUMNS]
    assert len(rows) == 7


def test_the_files_hold_the_inputs_the_public_report_lists(client, register):
    plan = register["plan"]
    report = client.get(
        reverse("participation:register_report", args=args_of(plan))
    ).content.decode()
    listed = {int(n) for n in re.findall(r'id="input-(\d+)"', report)}
    assert set(by_number(csv_records(client.get(url(plan))))) == listed
    assert {r["input_number"] for r in json_file(client.get(url(plan, "json")))["inputs"]} == listed


def test_a_published_comment_and_its_response(client, register):
    item, commitment = register["published"], register["commitment"]
    row = by_number(csv_records(client.get(url(register["plan"]))))[item.pk]
    assert row == {
        "plan_id": register["plan"].identifier,
        "input_number": str(item.pk),
        "received_on": item.received_on.isoformat(),
        "source": "comment",
        "contributor_name": "Anna Bērziņa",
        "organisation": "Sabiedrība par atklātību – Delna",
        "contributor_kind": "",
        "comment_status": "published",
        "text": "Lūdzu publicējiet līgumus ātrāk — ne vēlāk kā nedēļā.",
        "moderation_reason": "",
        "comment_url": f"http://testserver/register/comments/{item.comment_id}/",
        "disposition": "accepted",
        "reason": "Iekļauts apņēmumā.",
        "merged_into_input_number": "",
        "taken_into_commitment_id": commitment.identifier,
        "taken_into_url": f"http://testserver/commitments/{commitment.identifier}/",
        "responded_on": timezone.localdate().isoformat(),
        "organisation_verified": "false",
        "official_member": "",
    }


def test_hidden_and_deleted_comments_keep_their_place_but_not_their_text(client, register):
    """As on the public report: the input and its response stay on record; the text of a
    hidden comment gives way to the moderator's reason, a deleted one's to nothing."""
    plan = register["plan"]
    for response in (client.get(url(plan)), client.get(url(plan, "json"))):
        text = body(response).decode("utf-8-sig")
        for secret in SECRETS:
            assert secret not in text
    rows = by_number(csv_records(client.get(url(plan))))
    hidden = rows[register["hidden"].pk]
    assert (hidden["comment_status"], hidden["text"], hidden["moderation_reason"]) == (
        "hidden",
        "",
        "Personas dati.",
    )
    assert (hidden["disposition"], hidden["reason"]) == ("out_of_scope", "Ārpus plāna.")
    deleted = rows[register["deleted"].pk]
    assert (deleted["comment_status"], deleted["text"], deleted["moderation_reason"]) == (
        "deleted",
        "",
        "",
    )


def test_a_response_is_published_only_once_given(client, register):
    rows = by_number(csv_records(client.get(url(register["plan"]))))
    pending = rows[register["pending"].pk]
    assert pending["disposition"] == "pending"
    assert pending["reason"] == pending["responded_on"] == ""
    merged = rows[register["merged"].pk]
    assert merged["merged_into_input_number"] == str(register["hostile"].pk)


def test_csv_cells_that_would_be_formulas_are_neutralised(client, register):
    rows = by_number(csv_records(client.get(url(register["plan"]))))
    hostile = rows[register["hostile"].pk]
    assert hostile["text"] == "'" + HOSTILE
    assert hostile["contributor_name"] == "'+1"
    assert hostile["organisation"] == "'-1"
    assert hostile["reason"] == "'@SUM(A1:A2)"
    assert rows[register["merged"].pk]["text"] == "'\tThe same as the previous one."
    # JSON is data, not a spreadsheet: the text as written.
    inputs = {
        r["input_number"]: r for r in json_file(client.get(url(register["plan"], "json")))["inputs"]
    }
    assert inputs[register["hostile"].pk]["text"] == HOSTILE
    assert inputs[register["hostile"].pk]["contributor_name"] == "+1"


def test_the_register_json_has_licence_metadata_and_typed_values(client, register):
    plan = register["plan"]
    data = json_file(client.get(url(plan, "json")))
    assert data["licence"]["url"] == LICENCE_URL
    assert data["source_url"] == (
        "http://testserver" + reverse("participation:register_report", args=args_of(plan))
    )
    assert data["plan"]["plan_id"] == plan.identifier
    first = data["inputs"][0]
    assert list(first) == REGISTER_HEADER
    pending = next(r for r in data["inputs"] if r["input_number"] == register["pending"].pk)
    assert pending["reason"] is None and pending["responded_on"] is None


def test_the_files_are_the_same_in_every_interface_language(client, register):
    """A participant without a display name is "Participant N" whatever the visitor's language."""
    client.cookies["django_language"] = "lv"
    item = register["nameless"]
    rows = by_number(csv_records(client.get(url(register["plan"]), HTTP_ACCEPT_LANGUAGE="lv")))
    assert rows[item.pk]["contributor_name"] == f"Participant {item.comment.author_id}"
