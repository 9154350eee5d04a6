"""The QR code printed on a certificate: verification URL and signed token, as inline SVG."""

from __future__ import annotations

import segno
from markupsafe import Markup
from segno import consts

QUERY_KEY = "t"  # ?t=<token>
ERROR_LEVEL = "m"  # survives a crease or a stamp over ~15 % of the symbol


def qr_url(verification_url: str, qr_token: str) -> str:
    """Return the URL the QR code opens: the verification page with the token as query."""
    if not qr_token:
        return verification_url
    separator = "&" if "?" in verification_url else "?"
    return f"{verification_url}{separator}{QUERY_KEY}={qr_token}"


def make_qr(verification_url: str, qr_token: str) -> segno.QRCode:
    """Build the QR code: the URL part in byte mode, the base32 token in alphanumeric mode."""
    url = qr_url(verification_url, qr_token)
    prefix = url[: len(url) - len(qr_token)] if qr_token else url
    segments: list[tuple[str, int]] = [(prefix, consts.MODE_BYTE)]
    if qr_token:
        segments.append((qr_token, consts.MODE_ALPHANUMERIC))
    return segno.make(segments, error=ERROR_LEVEL, boost_error=False)


def qr_svg(verification_url: str, qr_token: str) -> Markup:
    """Return the QR code as scalable inline SVG markup with its quiet zone."""
    code = make_qr(verification_url, qr_token)
    svg = code.svg_inline(
        scale=1, border=4, omitsize=True, svgclass="qr", lineclass=None, dark="#000"
    )
    return Markup(svg)  # noqa: S704 - segno output: path data only, no user text
