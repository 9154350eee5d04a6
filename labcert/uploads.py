"""Upload checks: size and type, decided by content, before anything is parsed."""

from __future__ import annotations

from flask import current_app
from werkzeug.datastructures import FileStorage
from werkzeug.exceptions import RequestEntityTooLarge

from labcert.errors import DomainError


class UnsupportedUpload(DomainError):
    """The upload is not of the type the endpoint reads."""

    status = 415


def read_limited(upload: FileStorage) -> bytes:
    """Read an upload, refusing it once it passes MAX_UPLOAD_BYTES."""
    limit = current_app.config["MAX_UPLOAD_BYTES"]
    data = upload.stream.read(limit + 1)
    if len(data) > limit:
        raise RequestEntityTooLarge(f"The file is larger than {limit // (1024 * 1024)} MB.")
    return data


def read_pdf_upload(upload: FileStorage) -> bytes:
    """Read an uploaded PDF; anything that does not start like a PDF is refused as such."""
    data = read_limited(upload)
    if not data:
        raise UnsupportedUpload("The uploaded file is empty; choose the certificate PDF.")
    if not data.lstrip()[:5] == b"%PDF-":
        raise UnsupportedUpload("This file is not a PDF. Upload the certificate PDF exactly as "
                                "you received it.")
    return data
