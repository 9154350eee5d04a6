"""Render certificate PDFs (PDF/A-3b with the JSON data, and the credential, attached).

A ``CertificateRenderer`` is built once per process: parsing the stylesheet and loading the
shipped fonts into a ``FontConfiguration`` costs more than a render, so both are reused. Output
is deterministic for the same context and attachment: metadata dates come from the issue time,
the file identifier from the attached data, and the fonts are shipped in ``static/``.
"""

from __future__ import annotations

import base64
import datetime as dt
import functools
import hashlib
import threading
from pathlib import Path
from typing import Any

import jinja2
import pydyf
from weasyprint import CSS, HTML, Attachment
from weasyprint.text.fonts import FontConfiguration

from labcert.pdf.bilingual import Words, css_string
from labcert.pdf.fetcher import StaticFileFetcher

PROJECT_ROOT = Path(__file__).resolve().parents[2]
TEMPLATES_DIR = PROJECT_ROOT / "templates"
STATIC_DIR = PROJECT_ROOT / "static"
TEMPLATE = "certificate/certificate.html"
STYLESHEET = "certificate/certificate.css"
ATTACHMENT_NAME = "certificate.json"
CREDENTIAL_NAME = "credential.jwt"
CREDENTIAL_TYPE = "application/vc+jwt"
PDF_VARIANT = "pdf/a-3b"  # PDF/A-2b silently drops the JSON attachment
OUTPUT_INTENT = "--srgb"  # @color-profile in the stylesheet


class CertificateRenderer:
    """Hold the parsed template, stylesheet and fonts, and render certificates with them."""

    def __init__(self, templates_dir: Path = TEMPLATES_DIR, static_dir: Path = STATIC_DIR):
        self.static_dir = Path(static_dir).resolve()
        self.url_fetcher = StaticFileFetcher(self.static_dir)
        self.font_config = FontConfiguration()
        # The stylesheet declares the sRGB output intent with @color-profile; WeasyPrint's built-in
        # "srgb" intent opens its ICC file on every render and never closes it (ResourceWarning).
        self.color_profiles: dict[str, Any] = {}
        self.stylesheet = CSS(
            filename=str(self.static_dir / STYLESHEET),
            url_fetcher=self.url_fetcher,
            font_config=self.font_config,
            color_profiles=self.color_profiles,
        )
        for profile in self.color_profiles.values():
            # Reading the name makes lcms add a description tag to the profile in memory; do it
            # now so that the first PDF embeds the same profile bytes as every later one.
            _ = profile.name
        self.environment = jinja2.Environment(
            loader=jinja2.FileSystemLoader(str(templates_dir)),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.template = self.environment.get_template(TEMPLATE)
        # WeasyPrint writes render state into the shared colour profile objects, so renders in
        # threads take turns; the GIL serialises this CPU-bound work anyway.
        self._lock = threading.Lock()

    def render_html(self, context: dict[str, Any]) -> str:
        """Return the certificate HTML for context, in English and its second language if any."""
        words = Words(context.get("languages") or ("en",))
        return self.template.render(**context, _=words.pair, tr=words.pair, en=words.english,
                                    second=words.second_only, date=words.date,
                                    l2=words.second, l2dir=words.dir, css=css_string)

    def render_pdf(self, context: dict[str, Any], attachment: bytes,
                   credential: str | None = None) -> bytes:
        """Return the PDF/A-3b certificate with attachment as certificate.json (and credential)."""
        return self.write_pdf(self.render_html(context), context, attachment, credential)

    def write_pdf(self, html: str, context: dict[str, Any], attachment: bytes,
                  credential: str | None = None) -> bytes:
        """Lay out html with the shared stylesheet and fonts and return PDF/A-3b bytes."""
        issued_at = dt.datetime.fromisoformat(context["document"]["issued_at_iso"]).astimezone(
            dt.UTC
        )
        document = HTML(
            string=html,
            base_url=self.static_dir.as_uri() + "/",
            url_fetcher=self.url_fetcher,
        )
        data = Attachment(
            string=attachment,
            url_fetcher=self.url_fetcher,
            name=ATTACHMENT_NAME,
            description="Certificate data (canonical JSON)",
            created=issued_at.replace(tzinfo=None),
            modified=issued_at.replace(tzinfo=None),
            relationship="Data",
        )
        attachments = [data]
        if credential is not None:
            # A data: URL carries the media type into the embedded file's /Subtype.
            encoded = base64.b64encode(credential.encode("ascii")).decode("ascii")
            attachments.append(Attachment(
                url=f"data:{CREDENTIAL_TYPE};base64,{encoded}",
                url_fetcher=self.url_fetcher,
                name=CREDENTIAL_NAME,
                description="Certificate as a UNTP Digital Conformity Credential (vc+jwt)",
                created=issued_at.replace(tzinfo=None),
                modified=issued_at.replace(tzinfo=None),
                relationship="Alternative",
            ))
        with self._lock:
            return document.write_pdf(
                stylesheets=[self.stylesheet],
                font_config=self.font_config,
                color_profiles=self.color_profiles,
                output_intent=OUTPUT_INTENT,
                pdf_variant=PDF_VARIANT,
                attachments=attachments,
                pdf_identifier=hashlib.sha256(attachment).hexdigest()[:32].encode("ascii"),
                finisher=_finish,
            )


def _finish(document: Any, pdf: pydyf.PDF) -> None:
    """Drop /Producer so Info and XMP agree after signing, and list each attachment once in /AF."""
    pdf.info.pop("Producer", None)
    associated = pdf.catalog.get("AF")
    if associated:
        # WeasyPrint 70 lists an attachment twice (from the name tree and from its file spec).
        pdf.catalog["AF"] = pydyf.Array(dict.fromkeys(associated))


@functools.cache
def default_renderer() -> CertificateRenderer:
    """Return the process-wide renderer, creating it on first use."""
    return CertificateRenderer()


def render_certificate_pdf(context: dict[str, Any], attachment: bytes,
                           credential: str | None = None) -> bytes:
    """Render the certificate PDF for context and attachment with the shared renderer."""
    return default_renderer().render_pdf(context, attachment, credential)
