"""Files people upload: stored under names the platform makes up, served back only as
downloads.

An uploaded file is stored under MEDIA_ROOT (never under STATIC_ROOT, and no URL serves that
folder) as `<folder>/<random hex>.<extension>`: the name the uploader chose never reaches the
file system, so it can neither traverse folders nor collide with or guess at another file.
A request larger than any form could need (MAX_UPLOAD_REQUEST_SIZE) is refused with 400 before
its body is read. The views that serve a file check who may read it, then answer with
`attachment`: a download under a name made safe for every browser, typed as what the file was
checked to be, never sniffed, and sandboxed should a browser display it anyway.
"""

import mimetypes
import re
import unicodedata
import uuid

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.files.uploadhandler import FileUploadHandler
from django.http import FileResponse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.deconstruct import deconstructible

_EXTENSION = re.compile(r"^[a-z0-9]{1,8}$")
# Types a browser would render as a page of the site (and run its scripts): never declared
# for a file someone uploaded, whatever its name says.
_ACTIVE_TYPES = {
    "text/html",
    "application/xhtml+xml",
    "image/svg+xml",
    "text/xml",
    "application/xml",
    "text/javascript",
    "application/javascript",
}
# Characters file systems or browsers treat specially in a download's name.
_UNSAFE_IN_NAME = re.compile(r'[\\/:*?"<>|]+')


@deconstructible
class GeneratedName:
    """`upload_to` for a FileField: `folder` (with strftime codes, e.g. "evidence/%Y/%m/")
    then a random name with the uploaded file's extension, lower case."""

    def __init__(self, folder: str):
        self.folder = folder

    def __call__(self, instance, filename: str) -> str:
        extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
        suffix = f".{extension}" if _EXTENSION.match(extension) else ""
        return f"{timezone.now().strftime(self.folder)}{uuid.uuid4().hex}{suffix}"

    def __eq__(self, other):
        return isinstance(other, GeneratedName) and other.folder == self.folder


def download_name(stem: str, extension: str) -> str:
    """A download's name from text people typed (a title): without control, formatting or
    direction-changing characters, path separators or quotes, at most 100 characters."""
    kept = "".join(char if not unicodedata.category(char).startswith("C") else " " for char in stem)
    kept = " ".join(_UNSAFE_IN_NAME.sub("_", kept).split()).strip(" .")[:100].rstrip(" .")
    return f"{kept or 'file'}.{extension}"


def attachment(file, *, filename: str, content_type: str | None = None) -> FileResponse:
    """The stored `file` (open for reading) as a download called `filename`. Its type is the
    one given or guessed from `filename`'s extension, and never one a browser would render
    as a page."""
    content_type = content_type or mimetypes.guess_type(filename)[0]
    if not content_type or content_type in _ACTIVE_TYPES:
        content_type = "application/octet-stream"
    response = FileResponse(file, as_attachment=True, filename=filename, content_type=content_type)
    # Uploaded content is never rendered as a page of this site, whatever a browser guesses.
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    # Files of drafts and onboardings are not public: no shared cache may keep them.
    patch_cache_control(response, private=True)
    return response


class RequestSizeLimit(FileUploadHandler):
    """The first of FILE_UPLOAD_HANDLERS: a multipart request over MAX_UPLOAD_REQUEST_SIZE is
    refused (400) before any of it is read. Each form limits its own files, with a message
    (a PDF 10 MB, evidence 20 MB, the import 50 MB), but only once the whole upload has been
    written to a temporary file: without this, anyone could fill the disk with one request."""

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        if content_length > settings.MAX_UPLOAD_REQUEST_SIZE:
            raise RequestDataTooBig("The request is larger than MAX_UPLOAD_REQUEST_SIZE.")

    def receive_data_chunk(self, raw_data, start):
        return raw_data

    def file_complete(self, file_size):
        return None
