"""Evidence files: checked by size, extension and content when uploaded; downloaded only by those
who may see the commitment, as an attachment the browser will not render as a page of the site."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from commitments.models import Evidence
from commitments.progress_forms import EvidenceForm
from commitments.validators import validate_evidence_file
from tests.people import (
    ANONYMOUS,
    FORUM,
    IRM_ASSESSOR,
    OFFICER,
    OGP_ADMIN,
    OTHER_OFFICER,
    POINT_OF_CONTACT,
    USER,
)
from tests.plans.factories import ActionPlanFactory, CommitmentFactory, ProgressReportFactory
from tests.plans.test_progress import PDF

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 16
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00"
WEBP = b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\x00" * 16


def office(member: str) -> bytes:
    """A zip archive holding `member`, as office documents are."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(member, "<xml/>")
        archive.writestr("[Content_Types].xml", "<Types/>")
    return buffer.getvalue()


def damaged(archive: bytes) -> bytes:
    """The archive with its central directory broken: still looks like a zip from its end."""
    return archive.replace(b"PK\x01\x02", b"XX\x01\x02")


def upload(name, content):
    return SimpleUploadedFile(name, content)


# --- Checks on upload ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, content",
    [
        ("report.pdf", PDF),
        ("photo.PNG", PNG),
        ("photo.jpg", JPEG),
        ("photo.jpeg", JPEG),
        ("animation.gif", b"GIF89a\x01\x00\x01\x00"),
        ("picture.webp", WEBP),
        ("minutes.docx", office("word/document.xml")),
        ("budget.xlsx", office("xl/workbook.xml")),
        ("slides.pptx", office("ppt/presentation.xml")),
        ("minutes.odt", office("mimetype")),
        ("budget.csv", "year;amount\n2025;1 200,50 €\n".encode()),
        ("notes.txt", "Sanāksmes protokols: piedalījās 12 cilvēki.".encode()),
        ("spesa.csv", "Año;Città;Importe\n2025;Málaga;1.200,50\n".encode("cp1252")),
        ("export.txt", "Unicode text from a spreadsheet\r\n".encode("utf-16")),
    ],
)
def test_accepted_files(name, content):
    """PDF, images, office documents, CSV and text pass when their content matches."""
    validate_evidence_file(upload(name, content))


@pytest.mark.parametrize(
    "name, content",
    [
        ("report.pdf", b"MZ\x90\x00\x03\x00 a program"),
        ("report.pdf", b"<html><script>alert(1)</script></html>"),
        ("photo.png", JPEG),
        ("picture.webp", b"RIFF\x24\x00\x00\x00AVI LIST"),
        ("minutes.docx", PDF),
        ("minutes.docx", office("xl/workbook.xml")),
        ("minutes.docx", damaged(office("word/document.xml"))),
        ("budget.csv", b"a,b\x00\x01\x02"),
        ("budget.csv", bytes(range(1, 32)) * 10),
        ("notes.txt", b"\xff\xfe\x00\x00binary"),
    ],
)
def test_content_must_match_the_extension(name, content):
    with pytest.raises(ValidationError) as error:
        validate_evidence_file(upload(name, content))
    assert error.value.code == "content_mismatch"


def test_the_check_leaves_the_file_at_its_start():
    """The file is saved after the check: the check must not leave it half read."""
    pdf = upload("report.pdf", PDF)
    validate_evidence_file(pdf)
    assert pdf.read() == PDF


def test_size_limit(monkeypatch):
    monkeypatch.setattr("commitments.validators.MAX_EVIDENCE_SIZE", len(PDF))
    validate_evidence_file(upload("exact.pdf", PDF))
    with pytest.raises(ValidationError) as error:
        validate_evidence_file(upload("over.pdf", PDF + b"\n"))
    assert error.value.code == "too_large"


@pytest.mark.parametrize("name", ["setup.exe", "page.html", "image.svg", "archive.zip", "noext"])
def test_other_types_are_refused_by_the_form_with_one_clear_message(name):
    form = EvidenceForm(data={"title": "A file"}, files={"file": upload(name, b"harmless text")})
    assert not form.is_valid()
    assert len(form.errors["file"]) == 1
    assert "is not allowed" in form.errors["file"][0]


# --- Download ------------------------------------------------------------------------------


@pytest.fixture
def evidence(db):
    plan = ActionPlanFactory(status="implementation", published=True)
    report = ProgressReportFactory(commitment=CommitmentFactory(plan=plan))
    return Evidence.objects.create(
        report=report, title="Audit", file=upload("Audit report 2025.pdf", PDF)
    )


def download(client, evidence):
    return client.get(reverse("commitments:evidence_file", args=[evidence.pk]))


def test_download_of_a_public_plan_is_an_attachment(client, evidence):
    response = download(client, evidence)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"] == 'attachment; filename="Audit.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    assert "sandbox" in response["Content-Security-Policy"]
    assert "private" in response["Cache-Control"]


def test_stored_under_a_generated_name_and_downloaded_under_the_title(client, evidence):
    """The uploader's file name is not kept (tests/security/test_uploads.py has the rest)."""
    assert "Audit" not in evidence.file.name
    assert evidence.file.name.endswith(".pdf")
    assert download(client, evidence)["Content-Disposition"] == 'attachment; filename="Audit.pdf"'


@pytest.mark.parametrize(
    "role, status",
    [
        (ANONYMOUS, 404),
        (USER, 404),
        (OTHER_OFFICER, 404),
        (IRM_ASSESSOR, 404),
        (FORUM, 200),
        (OFFICER, 200),
        (POINT_OF_CONTACT, 200),
        (OGP_ADMIN, 200),
    ],
)
def test_files_of_a_draft_are_for_its_team(client, people, evidence, role, status):
    """A draft plan's evidence is as invisible as the draft: 404, even to anonymous visitors
    (no sign-in prompt that would tell the file exists)."""
    plan = evidence.report.commitment.plan
    plan.status = "draft"
    plan.published_at = None
    plan.save()
    people.of(member=plan.member).sign_in(client, role)
    assert download(client, evidence).status_code == status


def test_link_evidence_has_no_download(client, evidence):
    link = Evidence.objects.create(report=evidence.report, title="Portal", url="https://x.org")
    assert download(client, link).status_code == 404


def test_unknown_evidence(client, db):
    response = client.get(reverse("commitments:evidence_file", args=[987654]))
    assert response.status_code == 404


def test_missing_file_in_storage_is_not_found(client, evidence):
    evidence.file.storage.delete(evidence.file.name)
    assert download(client, evidence).status_code == 404


def test_only_get(client, evidence):
    response = client.post(reverse("commitments:evidence_file", args=[evidence.pk]))
    assert response.status_code == 405
