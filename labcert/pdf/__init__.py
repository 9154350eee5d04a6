"""The certificate document: template context, margin chart, QR code and PDF/A rendering."""

from labcert.pdf.context import build_context
from labcert.pdf.renderer import CertificateRenderer, default_renderer, render_certificate_pdf

__all__ = [
    "CertificateRenderer",
    "build_context",
    "default_renderer",
    "render_certificate_pdf",
]
