"""Every upload of the platform: evidence files, letters of intent, repository documents and the
IRM dataset import.

Each is judged by its content, not its name; each has a size limit; each is stored under
MEDIA_ROOT (which no URL serves) with a generated name; each is served back only by a view that
checks who may read it, as an attachment with a safe name and type, never sniffed, sandboxed.
"""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import Resolver404, resolve, reverse

from commitments.importer.forms import MAX_IMPORT_SIZE
from commitments.models import CommitmentImport, Evidence
from commitments.validators import MAX_EVIDENCE_SIZE
from ogp_platform.members.models import Onboarding, RepositoryDocument
from ogp_platform.members.validators import MAX_PDF_SIZE
from ogp_platform.uploads import GeneratedName, download_name
from tests.factories import UserFactory
from tests.imports.dataset import dataset_bytes, latvia
from tests.members.factories import OnboardingFactory
from tests.people import OGP_ADMIN, POINT_OF_CONTACT
from tests.plans.factories import ActionPlanFactory, CommitmentFactory
from tests.security.inert import html_problems

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
DISGUISED = {
    "html": b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>",
    "svg": b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(1)</script>'
    b"</svg>",
    "executable": b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64,
    "elf": b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 64,
    "empty": b"",
}
# Names an uploader may choose: a path out of the media folder, markup, a disguised extension.
HOSTILE_NAMES = [
    "../../../../etc/passwd.pdf",
    "..\\..\\windows\\win.ini.pdf",
    "<script>alert(1)</script>.pdf",
    'quote".pdf',
    "invoice\u202efdp.exe.pdf",
    "report.html.pdf",
    "/absolute/report.pdf",
]
GENERATED = re.compile(r"^(?P<folder>[a-z/-]+/(\d{4}/)?(\d{2}/)?)[0-9a-f]{32}\.(?P<ext>[a-z0-9]+)$")


@pytest.fixture
def world(people):
    plan = ActionPlanFactory(member=people.member, status="implementation", published=True)
    return {
        "member": people.member,
        "officer": people[POINT_OF_CONTACT],
        "admin": people[OGP_ADMIN],
        "commitment": CommitmentFactory(plan=plan),
        "onboarding": OnboardingFactory(),
    }


def _evidence_post(client, world, name, content, title="Audit report"):
    client.force_login(world["officer"])
    return client.post(
        reverse("commitments:progress", args=[world["commitment"].identifier]),
        {
            "milestone": "",
            "level": "substantial",
            "narrative": "The register is online.",
            "evidence-TOTAL_FORMS": "3",
            "evidence-INITIAL_FORMS": "0",
            "evidence-MIN_NUM_FORMS": "0",
            "evidence-MAX_NUM_FORMS": "3",
            "evidence-0-title": title,
            "evidence-0-file": SimpleUploadedFile(name, content),
        },
    )


def _letter_post(client, world, name, content):
    client.force_login(world["admin"])
    slug = world["onboarding"].member.slug
    return client.post(
        reverse("members:onboarding_letter", args=[slug]),
        {"letter_date": "2026-11-02", "letter_file": SimpleUploadedFile(name, content)},
    )


def _document_post(client, world, name, content, title="Minutes of the forum"):
    client.force_login(world["officer"])
    return client.post(
        reverse("members:document_add", args=[world["member"].slug]),
        {
            "title": title,
            "kind": "minutes",
            "dated": "2026-10-01",
            "file": SimpleUploadedFile(name, content),
        },
    )


def _import_post(client, world, name, content):
    client.force_login(world["admin"])
    return client.post(
        reverse("commitments:import_upload"), {"file": ContentFile(content, name=name)}
    )


def _stored_evidence():
    return [e.file.name for e in Evidence.objects.exclude(file="")]


def _stored_letters():
    return [o.letter_file.name for o in Onboarding.objects.exclude(letter_file="")]


def _stored_documents():
    return [d.file.name for d in RepositoryDocument.objects.exclude(file="")]


def _stored_imports():
    return [run.file.name for run in CommitmentImport.objects.all()]


# (name, post, what is stored, the message's words, the limit and where it lives)
PDF_UPLOADS = [
    ("evidence", _evidence_post, _stored_evidence),
    ("letter", _letter_post, _stored_letters),
    ("document", _document_post, _stored_documents),
]


def _refused(response, *words):
    """The form again (the import page answers 400), with its error summary and a message."""
    assert response.status_code in (200, 400)
    assert b'class="error-summary"' in response.content
    text = response.content.decode()
    assert any(word in text for word in words), text[:2000]


# --- Judged by content, not by name -------------------------------------------------------


@pytest.mark.parametrize("kind", DISGUISED)
@pytest.mark.parametrize("upload, post, stored", PDF_UPLOADS, ids=[u[0] for u in PDF_UPLOADS])
def test_a_pdf_by_name_only_is_refused(client, world, upload, post, stored, kind):
    """HTML, SVG, a program or nothing, named .pdf: refused with a message saying the content
    is not what the name says; nothing is stored."""
    response = post(client, world, "report.pdf", DISGUISED[kind])
    _refused(
        response,
        "is not a PDF document",
        "content does not match its type",
        "The submitted file is empty",
    )
    assert stored() == []


@pytest.mark.parametrize("name", ["page.html", "image.svg", "page.xhtml", "setup.exe", "x.js"])
@pytest.mark.parametrize("upload, post, stored", PDF_UPLOADS, ids=[u[0] for u in PDF_UPLOADS])
def test_active_types_are_refused_even_with_pdf_content(client, world, upload, post, stored, name):
    """A file named as a type a browser would run is refused, whatever it holds."""
    _refused(post(client, world, name, PDF), "is not allowed")
    assert stored() == []


@pytest.mark.parametrize("kind", ["html", "executable", "elf"])
def test_an_import_that_is_not_csv_is_refused(client, world, kind):
    """The import reads its file as the IRM's CSV: anything else is refused before a run."""
    _refused(
        _import_post(client, world, "commitments.csv", DISGUISED[kind]),
        "not the IRM",
        "UTF-8",
        "CSV",
    )
    assert CommitmentImport.objects.count() == 0


def test_an_import_is_judged_by_content_not_name(client, world, django_capture_on_commit_callbacks):
    """A real dataset is accepted whatever it is called; its name is only shown, escaped."""
    with django_capture_on_commit_callbacks(execute=True):
        response = _import_post(
            client, world, "<img src=x onerror=alert(1)>.pdf", dataset_bytes([latvia()])
        )
    assert response.status_code == 302
    run = CommitmentImport.objects.get()
    assert GENERATED.match(run.file.name.removeprefix("private/")), run.file.name
    assert html_problems(client.get(response["Location"]).content) == []


# --- Size limits ----------------------------------------------------------------------------


def test_the_limits_are_set():
    assert MAX_PDF_SIZE == 10 * 1024 * 1024
    assert MAX_EVIDENCE_SIZE == 20 * 1024 * 1024
    assert MAX_IMPORT_SIZE == 50 * 1024 * 1024
    # Form fields other than files (a request body without files) are limited; files larger
    # than this stream to a temporary file instead of memory.
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE == 5 * 1024 * 1024
    assert settings.FILE_UPLOAD_MAX_MEMORY_SIZE <= 5 * 1024 * 1024
    assert settings.DATA_UPLOAD_MAX_NUMBER_FILES <= 100
    assert settings.DATA_UPLOAD_MAX_NUMBER_FIELDS <= 1000


@pytest.mark.parametrize(
    "upload, post, stored, limit",
    [
        ("evidence", _evidence_post, _stored_evidence, "commitments.validators.MAX_EVIDENCE_SIZE"),
        ("letter", _letter_post, _stored_letters, "ogp_platform.members.validators.MAX_PDF_SIZE"),
        (
            "document",
            _document_post,
            _stored_documents,
            "ogp_platform.members.validators.MAX_PDF_SIZE",
        ),
    ],
    ids=["evidence", "letter", "document"],
)
def test_over_the_limit_is_refused(client, world, monkeypatch, upload, post, stored, limit):
    """One byte over the limit: refused, saying the file's size and the limit."""
    monkeypatch.setattr(limit, len(PDF))
    _refused(post(client, world, "report.pdf", PDF + b"\n"), "the limit is")
    assert stored() == []
    assert post(client, world, "report.pdf", PDF).status_code == 302
    assert len(stored()) == 1


def test_an_import_over_the_limit_is_refused(client, world, monkeypatch):
    data = dataset_bytes([latvia()])
    monkeypatch.setattr("commitments.importer.forms.MAX_IMPORT_SIZE", len(data) - 1)
    _refused(_import_post(client, world, "irm.csv", data), "the limit is")
    assert CommitmentImport.objects.count() == 0


def test_the_request_limit_fits_the_largest_form():
    """Three evidence files at their limit fit in one request; the import too."""
    assert settings.MAX_UPLOAD_REQUEST_SIZE >= 3 * MAX_EVIDENCE_SIZE + 1024 * 1024
    assert settings.MAX_UPLOAD_REQUEST_SIZE >= MAX_IMPORT_SIZE + 1024 * 1024
    assert settings.FILE_UPLOAD_HANDLERS[0] == "ogp_platform.uploads.RequestSizeLimit"


@pytest.mark.parametrize("upload, post, stored", PDF_UPLOADS, ids=[u[0] for u in PDF_UPLOADS])
def test_a_request_over_the_limit_is_refused_before_it_is_read(
    client, world, settings, upload, post, stored
):
    """Over MAX_UPLOAD_REQUEST_SIZE: 400 at once (the body is not written anywhere), whatever
    the form would have said."""
    settings.MAX_UPLOAD_REQUEST_SIZE = 4096
    client.raise_request_exception = False
    refused = post(client, world, "report.pdf", PDF + b" " * 4096)
    assert refused.status_code == 400
    assert "Request not understood" in refused.content.decode()  # the platform's page
    assert stored() == []
    assert post(client, world, "report.pdf", PDF).status_code == 302


def test_a_large_plain_form_is_refused_without_a_server_error(client, world):
    """A body of fields (no file) over DATA_UPLOAD_MAX_MEMORY_SIZE is refused with 400."""
    client.force_login(world["officer"])
    client.raise_request_exception = False
    response = client.post(
        reverse("members:document_add", args=[world["member"].slug]),
        {"title": "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)},
    )
    assert response.status_code == 400


# --- Stored under generated names, outside the web root ---------------------------------------


@pytest.mark.parametrize("name", HOSTILE_NAMES)
@pytest.mark.parametrize("upload, post, stored", PDF_UPLOADS, ids=[u[0] for u in PDF_UPLOADS])
def test_stored_under_a_generated_name(client, world, upload, post, stored, name):
    """Whatever the uploader called the file, it is stored as <folder>/<random>.pdf."""
    assert post(client, world, name, PDF).status_code == 302
    (path,) = stored()
    match = GENERATED.match(path)
    assert match, path
    assert match["ext"] == "pdf"
    assert ".." not in path and not path.startswith("/")
    stem = Path(name.replace("\\", "/")).stem
    assert stem not in path


def test_two_uploads_of_the_same_name_never_share_a_file(client, world):
    for _ in range(2):
        assert _document_post(client, world, "minutes.pdf", PDF).status_code == 302
    first, second = _stored_documents()
    assert first != second


def test_generated_names_keep_only_a_plain_extension():
    name = GeneratedName("evidence/%Y/%m/")
    assert GENERATED.match(name(None, "photo.JPEG"))["ext"] == "jpeg"
    assert name(None, "archive.tar.gz").endswith(".gz")
    assert re.search(r"/[0-9a-f]{32}$", name(None, "no-extension"))
    assert re.search(r"/[0-9a-f]{32}$", name(None, "evil.p<h>p"))
    assert name == GeneratedName("evidence/%Y/%m/")  # stable in migrations


def test_media_root_is_outside_the_web_root():
    """Nothing under MEDIA_ROOT is a static file, and no URL serves it, even with DEBUG on."""
    media = Path(settings.MEDIA_ROOT).resolve()
    for static in (Path(settings.STATIC_ROOT), *map(Path, settings.STATICFILES_DIRS)):
        static = static.resolve()
        assert not media.is_relative_to(static) and not static.is_relative_to(media)
    for path in (settings.MEDIA_URL + "evidence/2026/01/x.pdf", "/media/repository/x.pdf"):
        with pytest.raises(Resolver404):
            resolve(path)


def test_files_are_written_inside_media_root(client, world, settings, tmp_path):
    """On the real file system storage, even a path-traversing name lands inside MEDIA_ROOT."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    assert _document_post(client, world, "../../../outside.pdf", PDF).status_code == 302
    (name,) = _stored_documents()
    written = Path(default_storage.path(name)).resolve()
    assert written.is_relative_to((tmp_path / "media").resolve())
    assert written.read_bytes() == PDF
    assert not (tmp_path / "outside.pdf").exists()
    assert [p.name for p in tmp_path.rglob("*.pdf")] == [written.name]


# --- Served by views that check, with safe headers ----------------------------------------------


def _assert_safe_download(response, filename_part: str, content_type: str):
    assert response.status_code == 200
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert filename_part in disposition
    for forbidden in ("\r", "\n", "/", "\\", "<", "\u202e"):
        assert forbidden not in disposition
    assert response["Content-Type"] == content_type
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert "default-src 'none'" in response["Content-Security-Policy"]
    assert "private" in response["Cache-Control"]


# Titles are one line of visible text (the forms refuse the line break, the override and the
# bell): this one was stored before they were checked, and names the download all the same.
HOSTILE_TITLE = 'Audit\r\n"report"/../<b>2025</b>\u202e\x07 '


def test_evidence_download(client, world):
    assert _evidence_post(client, world, "x.pdf", PDF).status_code == 302
    Evidence.objects.update(title=HOSTILE_TITLE)
    evidence = Evidence.objects.get()
    response = client.get(reverse("commitments:evidence_file", args=[evidence.pk]))
    _assert_safe_download(response, "Audit", "application/pdf")
    assert b"".join(response.streaming_content) == PDF


def test_text_evidence_holding_markup_is_served_as_plain_text(client, world):
    """A .txt file may hold any text, markup included: it is served as text/plain, as an
    attachment, sandboxed, never as a page."""
    html = DISGUISED["html"]
    assert _evidence_post(client, world, "notes.txt", html).status_code == 302
    evidence = Evidence.objects.get()
    client.logout()
    response = client.get(reverse("commitments:evidence_file", args=[evidence.pk]))
    _assert_safe_download(response, "Audit report.txt", "text/plain")


def test_evidence_of_a_draft_is_not_served_to_outsiders(client, world):
    assert _evidence_post(client, world, "x.pdf", PDF).status_code == 302
    plan = world["commitment"].plan
    plan.status, plan.published_at = "draft", None
    plan.save()
    url = reverse("commitments:evidence_file", args=[Evidence.objects.get().pk])
    client.logout()
    assert client.get(url).status_code == 404
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404


def test_letter_download(client, world):
    assert _letter_post(client, world, "../../letter.pdf", PDF).status_code == 302
    url = reverse("members:onboarding_letter_file", args=[world["onboarding"].member.slug])
    response = client.get(url)
    _assert_safe_download(response, "letter-of-intent-", "application/pdf")
    client.force_login(world["officer"])  # an officer of another member
    assert client.get(url).status_code in (403, 404)
    client.logout()
    assert client.get(url).status_code in (302, 403, 404)


def test_repository_document_download(client, world):
    assert _document_post(client, world, "x.pdf", PDF).status_code == 302
    RepositoryDocument.objects.update(title=HOSTILE_TITLE)
    document = RepositoryDocument.objects.get()
    client.logout()
    response = client.get(
        reverse("members:document_file", args=[world["member"].slug, document.pk])
    )
    _assert_safe_download(response, "Audit", "application/pdf")


def test_a_document_of_a_member_in_onboarding_is_not_served(client, world):
    member = world["onboarding"].member
    document = RepositoryDocument.objects.create(
        member=member,
        title="Draft",
        kind="draft",
        dated="2026-10-01",
        file=ContentFile(PDF, name="x.pdf"),
        added_by=world["admin"],
    )
    client.force_login(world["officer"])
    response = client.get(reverse("members:document_file", args=[member.slug, document.pk]))
    assert response.status_code == 404


@pytest.mark.parametrize(
    "stem, expected",
    [
        ("Audit report 2025", "Audit report 2025.pdf"),
        ('a\r\nb"c/d\\e<f>', "a b_c_d_e_f_.pdf"),
        ("invoice\u202egnp", "invoice gnp.pdf"),
        ("zero\u200bwidth", "zero width.pdf"),
        ("../../..", "_.._.pdf"),
        ("...", "file.pdf"),
        ("", "file.pdf"),
        ("Sanāksmes protokols", "Sanāksmes protokols.pdf"),
        ("x" * 300, "x" * 100 + ".pdf"),
    ],
)
def test_download_names(stem, expected):
    assert download_name(stem, "pdf") == expected
