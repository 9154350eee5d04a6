"""Logo images: judged by their content (type, size, no scripts) before they are stored."""

from __future__ import annotations

import base64
import hashlib
import xml.etree.ElementTree as ET

from labcert.errors import UploadTooLarge, ValidationFailed

MAX_BYTES = 512 * 1024
EXTENSIONS = {"image/png": "png", "image/jpeg": "jpg", "image/svg+xml": "svg"}
_PNG = b"\x89PNG\r\n\x1a\n"
_JPEG = b"\xff\xd8\xff"
_SVG_NS = "{http://www.w3.org/2000/svg}"
_UNSAFE_SVG_ELEMENTS = {"script", "foreignObject", "iframe", "embed", "object"}


def _refuse(message: str) -> ValidationFailed:
    return ValidationFailed.of([("logo", message)])


def _local(name: str) -> str:
    return name.rsplit("}", 1)[-1]


def _check_svg(data: bytes) -> None:
    """Accept only a well-formed SVG document without scripts, entities or event handlers."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _refuse("The SVG file is not UTF-8 text.") from None
    if "<!ENTITY" in text:
        raise _refuse("SVG files with entity declarations are not accepted.")
    try:
        root = ET.fromstring(text)  # noqa: S314  (no entities: nothing to expand or fetch)
    except ET.ParseError:
        raise _refuse("The SVG file is not well-formed XML.") from None
    if root.tag not in (f"{_SVG_NS}svg", "svg"):
        raise _refuse("The file is XML but not an SVG image.")
    for element in root.iter():
        if _local(element.tag) in _UNSAFE_SVG_ELEMENTS:
            raise _refuse(f"SVG logos may not contain <{_local(element.tag)}> elements.")
        for name, value in element.attrib.items():
            value = value.strip().lower()
            if _local(name).lower().startswith("on") or value.startswith("javascript:"):
                raise _refuse("SVG logos may not contain scripts or event handlers.")
            if _local(name) == "href" and not value.startswith(("#", "data:")):
                raise _refuse("SVG logos must be self-contained (no links to other files).")


def check(data: bytes) -> str:
    """Return the image type of `data` (PNG, JPEG or SVG, at most 512 KB) or refuse it."""
    if not data:
        raise _refuse("Choose an image file to upload.")
    if len(data) > MAX_BYTES:
        raise UploadTooLarge(MAX_BYTES, "logo")
    if data.startswith(_PNG):
        return "image/png"
    if data.startswith(_JPEG):
        return "image/jpeg"
    if data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        _check_svg(data)
        return "image/svg+xml"
    raise _refuse("Upload a PNG, JPEG or SVG image (the file's content is none of these).")


def digest(data: bytes) -> str:
    """Return the SHA-256 of the logo, for the audit trail."""
    return hashlib.sha256(data).hexdigest()


def data_uri(data: bytes, mimetype: str) -> str:
    """Return the logo as a data: address (for an <img> and for the certificate template)."""
    return f"data:{mimetype};base64,{base64.b64encode(data).decode('ascii')}"
