"""The certificate document: canonical data, template context, margin chart, QR code and PDF/A."""

from labcert.pdf.canonical import canonical_json, data_sha256, qr_facts
from labcert.pdf.context import build_context
from labcert.pdf.renderer import CertificateRenderer, default_renderer, render_certificate_pdf

__all__ = [
    "CertificateRenderer",
    "build_context",
    "canonical_json",
    "data_sha256",
    "default_renderer",
    "qr_facts",
    "render_certificate_pdf",
]
