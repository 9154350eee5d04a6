"""Bilingual certificates: the markets that read Arabic, Russian or Urdu get their language too.

The criteria sets name the languages (data), the snapshot records them, the certificate prints
heading/body pairs with the fonts embedded, and everything the English certificate proves
(signature, PDF/A-3b, the attached JSON) still holds.
"""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Callable
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from pyhanko.pdf_utils.reader import PdfFileReader

from labcert.certificate_facts import CertificateFacts, canonical_json
from labcert.pdf import CertificateRenderer, build_context, render_certificate_pdf
from labcert.pki import LabSigner, make_qr_token, verify_pdf
from labcert.rules import load_registry
from labcert.specimen import specimen_snapshot

MARKETS = {"sa-cst": "ar", "ae-tdra": "ar", "eaeu": "ru", "pk-pta": "ur"}
FONTS = {"ar": "Certificate-Arabic", "ur": "Certificate-Urdu"}
BIDI_CONTROLS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def market_snapshot(market_id: str) -> dict[str, Any]:
    """The specimen certificate issued for a market, with the languages its criteria set names."""
    criteria_set = next(cs for cs in load_registry().latest() if cs.id == market_id)
    snapshot = specimen_snapshot()
    snapshot["market"].update(id=market_id, title=criteria_set.market,
                              criteria_set=criteria_set.ref,
                              languages=list(criteria_set.certificate_languages))
    return snapshot


def issue(snapshot: dict[str, Any], signer: LabSigner) -> bytes:
    """The issuance path of conftest.issue: token, context, render, sign."""
    facts = CertificateFacts.from_json(snapshot)
    context = build_context(facts, verification_url=f"http://127.0.0.1:5000/verify/{facts.number}",
                            qr_token=make_qr_token(signer, facts.qr_facts()))
    return signer.sign_pdf(render_certificate_pdf(context, facts.canonical_json()))


@pytest.fixture(scope="module")
def certificates(lab_signer: LabSigner) -> dict[str, tuple[dict[str, Any], bytes]]:
    """One signed certificate per bilingual market: (snapshot, signed PDF)."""
    issued = {}
    for market_id in MARKETS:
        snapshot = market_snapshot(market_id)
        issued[market_id] = (snapshot, issue(snapshot, lab_signer))
    return issued


def _run(tool: Callable[[str], str], name: str, pdf: bytes, tmp_path: Path, *args: str) -> str:
    path = tmp_path / "certificate.pdf"
    path.write_bytes(pdf)
    return subprocess.run([tool(name), *args, str(path), *(["-"] if name == "pdftotext" else [])],
                          capture_output=True, check=True).stdout.decode("utf-8")


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", BIDI_CONTROLS.sub("", text))


def test_the_criteria_sets_name_their_certificate_languages() -> None:
    latest = {cs.id: cs.certificate_languages for cs in load_registry().latest()}

    assert {market: latest[market] for market in MARKETS} == {
        market: ("en", code) for market, code in MARKETS.items()}
    assert latest["eu-red"] == ("en",)
    assert latest["us-fcc"] == ("en",)


def test_an_english_snapshot_keeps_its_json_and_a_bilingual_one_records_its_languages() -> None:
    english = specimen_snapshot()
    assert CertificateFacts.from_json(english).canonical_json() == canonical_json(english)
    assert "languages" not in CertificateFacts.from_json(english).to_json()["market"]

    arabic = market_snapshot("sa-cst")
    facts = CertificateFacts.from_json(arabic)
    assert facts.market.languages == ("en", "ar")
    assert facts.canonical_json() == canonical_json(arabic)


@pytest.mark.parametrize("market_id", sorted(MARKETS))
def test_fonts_of_the_second_language_are_embedded_and_no_system_font_is_used(
    certificates, market_id: str, tool: Callable[[str], str], tmp_path: Path
) -> None:
    rows = _run(tool, "pdffonts", certificates[market_id][1], tmp_path).splitlines()[2:]

    assert rows
    assert all(" yes yes yes " in row for row in rows), rows
    assert all("Certificate" in row for row in rows), "a system fallback font was used"
    code = MARKETS[market_id]
    if code in FONTS:
        assert any(FONTS[code] in row for row in rows), rows


def test_arabic_text_extracts_as_written(
    certificates, tool: Callable[[str], str], tmp_path: Path
) -> None:
    text = _squeeze(_run(tool, "pdftotext", certificates["sa-cst"][1], tmp_path))

    for phrase in ("Certificate of Conformity", "شهادة مطابقة", "رقم الشهادة", "حامل الشهادة",
                   "قاعدة القرار", "سارية عند الإصدار", "نوفمبر", "تحقق من هذه الشهادة"):
        assert _squeeze(phrase) in text, phrase


def test_russian_text_extracts_as_written(
    certificates, tool: Callable[[str], str], tmp_path: Path
) -> None:
    text = _squeeze(_run(tool, "pdftotext", certificates["eaeu"][1], tmp_path))

    for phrase in ("Сертификат соответствия", "Номер сертификата", "Держатель сертификата",
                   "Правило принятия решения", "Действителен на дату выдачи", "21 ноября 2026",
                   "21 ноября 2027", "Испытанные образцы", "Результаты испытаний и их оценка"):
        assert _squeeze(phrase) in text, phrase
    assert _squeeze("Certificate of Conformity") in text
    assert _squeeze("LC-2026-000123") in text


@pytest.mark.parametrize("market_id", sorted(MARKETS))
def test_signature_pdfa_and_attachment_hold_as_for_english(
    certificates, market_id: str, lab_signer: LabSigner
) -> None:
    snapshot, pdf = certificates[market_id]

    result = verify_pdf(pdf, lab_signer.trust_roots, lab_signer.certificate)
    assert result.authentic, result.checks
    assert result.attached_json == snapshot
    reader = PdfFileReader(BytesIO(pdf))
    xmp = reader.root["/Metadata"].data.decode("utf-8")
    assert re.search(r'pdfaid:part(="|>)3', xmp)
    assert re.search(r'pdfaid:conformance(="|>)B', xmp)
    assert reader.root["/OutputIntents"][0]["/S"] == "/GTS_PDFA1"
    spec = reader.root["/Names"]["/EmbeddedFiles"]["/Names"][1]
    attached = spec["/EF"]["/F"].data
    assert attached == canonical_json(snapshot)
    assert not re.search("[\u0600-\u06ff\u0400-\u04ff]", attached.decode("utf-8")), \
        "the attached JSON stays language-neutral"
    assert json.loads(attached)["market"]["languages"] == ["en", MARKETS[market_id]]


def test_qpdf_finds_no_structural_errors_in_a_bilingual_certificate(
    certificates, tool: Callable[[str], str], tmp_path: Path
) -> None:
    path = tmp_path / "ur.pdf"
    path.write_bytes(certificates["pk-pta"][1])
    result = subprocess.run([tool("qpdf"), "--check", str(path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_bilingual_snapshot_re_renders_byte_identical() -> None:
    snapshot = market_snapshot("pk-pta")

    def context() -> dict[str, Any]:
        return build_context(CertificateFacts.from_json(snapshot),
                             verification_url="http://127.0.0.1:5000/verify/LC-2026-000123",
                             qr_token="ABC234")

    first = render_certificate_pdf(context(), canonical_json(snapshot))
    assert render_certificate_pdf(context(), canonical_json(snapshot)) == first
    assert CertificateRenderer().render_pdf(context(), canonical_json(snapshot)) == first


def test_identifiers_stay_left_to_right_inside_the_translation() -> None:
    snapshot = market_snapshot("pk-pta")
    html = CertificateRenderer().render_html(build_context(
        CertificateFacts.from_json(snapshot), verification_url="http://x/verify/LC-2026-000123",
        qr_token="ABC234"))

    assert '<span class="l2" lang="ur" dir="rtl">' in html
    assert '<bdi dir="ltr">LC-2026-000123</bdi>' in html
    assert '<bdi dir="ltr">pk-pta@2026.11</bdi>' in html
    english_only = CertificateRenderer().render_html(build_context(
        CertificateFacts.from_json(specimen_snapshot()),
        verification_url="http://x/verify/LC-2026-000123", qr_token="ABC234"))
    assert 'class="l2"' not in english_only
