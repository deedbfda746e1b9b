"""Evidence files: PDF, images and office documents, checked by their content, not their name."""

import codecs
import zipfile

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

MAX_EVIDENCE_SIZE = 20 * 1024 * 1024

EVIDENCE_EXTENSIONS = [
    *("pdf", "png", "jpg", "jpeg", "gif", "webp"),
    *("docx", "xlsx", "pptx", "odt", "ods", "odp", "csv", "txt"),
]

# The first bytes each kind of file starts with.
_SIGNATURES = {
    "pdf": (b"%PDF-",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "gif": (b"GIF87a", b"GIF89a"),
    "webp": (b"RIFF",),
}
# Office documents (OOXML and OpenDocument) are zip archives holding a known member.
_ZIP_MEMBERS = {
    "docx": "word/document.xml",
    "xlsx": "xl/workbook.xml",
    "pptx": "ppt/presentation.xml",
    "odt": "mimetype",
    "ods": "mimetype",
    "odp": "mimetype",
}


def _extension(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def _is_text(sample: bytes) -> bool:
    """Text in a common encoding: UTF-8, UTF-16 with its byte-order mark, or a single-byte one
    such as Windows-1252, in which spreadsheets often export CSV. A binary has NUL bytes or many
    control characters."""
    for bom, encoding in ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if sample.startswith(bom):
            body = sample[len(bom) :]
            text = body[: len(body) - len(body) % 2].decode(encoding, errors="replace")
            break
    else:
        # Every byte is a Latin-1 character: UTF-8 and Windows-1252 text decode without error.
        text = sample.decode("latin-1")
    controls = sum(1 for char in text if ord(char) < 32 and char not in "\t\n\r\f")
    return "\x00" not in text and controls <= len(text) // 100


def validate_evidence_file(upload):
    """At most 20 MB, and the content matches the file's extension."""
    if upload.size > MAX_EVIDENCE_SIZE:
        raise ValidationError(
            _("The file is %(size)s; the limit is %(limit)s."),
            code="too_large",
            params={
                "size": filesizeformat(upload.size),
                "limit": filesizeformat(MAX_EVIDENCE_SIZE),
            },
        )
    extension = _extension(upload.name)
    if extension not in EVIDENCE_EXTENSIONS:
        # FileExtensionValidator, which runs alongside, refuses it with a clearer message than
        # "content does not match" would be.
        return
    position = upload.tell() if hasattr(upload, "tell") else 0
    upload.seek(0)
    try:
        head = upload.read(16)
        upload.seek(0)
        if extension in _SIGNATURES:
            ok = head.startswith(_SIGNATURES[extension])
            if extension == "webp":
                ok = ok and head[8:12] == b"WEBP"
        elif extension in _ZIP_MEMBERS:
            ok = zipfile.is_zipfile(upload)
            if ok:
                upload.seek(0)
                try:
                    with zipfile.ZipFile(upload) as archive:
                        ok = _ZIP_MEMBERS[extension] in archive.namelist()
                except zipfile.BadZipFile:  # an end record, but a damaged archive
                    ok = False
        else:  # csv, txt: text, not a binary in disguise
            ok = _is_text(upload.read(4096))
    finally:
        upload.seek(position)
    if not ok:
        raise ValidationError(
            _("The file's content does not match its type (.%(extension)s)."),
            code="content_mismatch",
            params={"extension": extension},
        )
