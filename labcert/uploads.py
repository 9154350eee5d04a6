"""Upload checks: size and type, decided by content, before anything is parsed.

Every upload (PDF to verify, CSV of results, shipment list) is read through `read_limited`,
so a file over LABCERT_MAX_UPLOAD_BYTES is refused the same way everywhere: 413 with one message.
"""

from __future__ import annotations

from typing import IO

from flask import current_app
from werkzeug.datastructures import FileStorage

from labcert.errors import DomainError, UploadTooLarge


class UnsupportedUpload(DomainError):
    """The upload is not of the type the endpoint reads."""

    status = 415


def upload_limit() -> int:
    """Return the largest upload accepted, in bytes (LABCERT_MAX_UPLOAD_BYTES)."""
    return int(current_app.config["MAX_UPLOAD_BYTES"])


def check_size(data: bytes, field: str = "file") -> bytes:
    """Return the data if it is within the upload limit, else refuse it with 413."""
    if len(data) > upload_limit():
        raise UploadTooLarge(upload_limit(), field)
    return data


def read_limited(upload: FileStorage | IO[bytes], field: str = "file") -> bytes:
    """Read an upload (a form file or a stream), refusing it once it passes the limit."""
    stream = upload.stream if isinstance(upload, FileStorage) else upload
    return check_size(stream.read(upload_limit() + 1), field)


def read_pdf_upload(upload: FileStorage) -> bytes:
    """Read an uploaded PDF; anything that does not start like a PDF is refused as such."""
    data = read_limited(upload)
    if not data:
        raise UnsupportedUpload("The uploaded file is empty; choose the certificate PDF.")
    if not data.lstrip()[:5] == b"%PDF-":
        raise UnsupportedUpload("This file is not a PDF. Upload the certificate PDF exactly as "
                                "you received it.")
    return data


def read_text_upload(upload: FileStorage | IO[bytes], what: str, field: str = "file") -> str:
    """Read an uploaded text file (a credential, a DID document); binary files are refused."""
    data = read_limited(upload, field)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = "\x00"
    if "\x00" in text:
        raise UnsupportedUpload(f"This file is not {what}: it is not text. Upload the file as "
                                "the lab issued it.")
    return text
