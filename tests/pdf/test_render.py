"""The rendered certificate: PDF/A-3b with JSON attached, complete, deterministic, tool-checked."""

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
from labcert.pki import LabSigner


def _text(pdf: bytes, tool: Callable[[str], str], tmp_path: Path) -> str:
    path = tmp_path / "certificate.pdf"
    path.write_bytes(pdf)
    result = subprocess.run([tool("pdftotext"), str(path), "-"], capture_output=True, check=True)
    return result.stdout.decode("utf-8")


def _squeeze(text: str) -> str:
    """Drop whitespace and case: line breaks, letter-spacing and text-transform vary by layout."""
    return re.sub(r"\s+", "", text).lower()


def _context(snapshot: dict[str, Any]) -> dict[str, Any]:
    return build_context(
        CertificateFacts.from_json(snapshot),
        verification_url="http://127.0.0.1:5000/verify/LC-2026-000123",
        qr_token="ABC234",
    )


def test_canonical_json_sorts_keys_compactly_in_utf8() -> None:
    assert (
        canonical_json({"b": 1, "a": {"d": "µ", "c": [1, 2]}})
        == '{"a":{"c":[1,2],"d":"µ"},"b":1}'.encode()
    )


@pytest.mark.parametrize("bad", [float("nan"), float("inf")])
def test_canonical_json_refuses_nan(bad: float) -> None:
    with pytest.raises(ValueError, match="JSON"):
        canonical_json({"value": bad})


def test_canonical_json_refuses_values_that_are_not_json_safe() -> None:
    from decimal import Decimal

    with pytest.raises(TypeError, match="store Decimals and dates as strings"):
        canonical_json({"value": Decimal("0.83")})


def test_attached_json_equals_the_snapshot(
    issued: tuple[bytes, bytes], snapshot: dict[str, Any]
) -> None:
    for pdf in issued:
        reader = PdfFileReader(BytesIO(pdf))
        names = reader.root["/Names"]["/EmbeddedFiles"]["/Names"]
        assert names[0] == "certificate.json"
        spec = names[1]
        assert spec["/EF"]["/F"]["/Subtype"] == "/application/json"
        assert spec["/AFRelationship"] == "/Data"
        assert json.loads(spec["/EF"]["/F"].data) == snapshot
        assert spec["/EF"]["/F"].data == canonical_json(snapshot)


def test_pdfa3b_identification_and_output_intent(issued: tuple[bytes, bytes]) -> None:
    for pdf in issued:
        reader = PdfFileReader(BytesIO(pdf))
        xmp = reader.root["/Metadata"].data.decode("utf-8")
        assert re.search(r'pdfaid:part(="|>)3', xmp)
        assert re.search(r'pdfaid:conformance(="|>)B', xmp)
        assert reader.root["/OutputIntents"][0]["/S"] == "/GTS_PDFA1"
        assert pdf.startswith(b"%PDF-1.7")
        assert "/Version" not in reader.root  # PDF/A-3 is PDF 1.7: signing must not raise it to 2.0
        assert len(list(reader.root["/AF"])) == 1


def test_info_and_xmp_agree_after_signing(signed_pdf: bytes) -> None:
    reader = PdfFileReader(BytesIO(signed_pdf))
    info = reader.trailer_view["/Info"]
    xmp = reader.root["/Metadata"].data.decode("utf-8")

    producer = re.search(r'pdf:Producer(?:="|>)([^"<]+)', xmp)
    assert producer is not None and producer.group(1) == info["/Producer"]
    assert "WeasyPrint" not in xmp
    assert "Certificate of Conformity LC-2026-000123" in xmp
    assert info["/Title"] == "Certificate of Conformity LC-2026-000123"
    assert info["/CreationDate"].startswith("D:20261121100000")


def test_unsigned_pdf_metadata_dates_come_from_the_issue_time(issued: tuple[bytes, bytes]) -> None:
    reader = PdfFileReader(BytesIO(issued[0]))
    info = reader.trailer_view["/Info"]

    assert info["/CreationDate"].startswith("D:20261121100000")
    assert info["/ModDate"] == info["/CreationDate"]
    assert "/Producer" not in info


def test_rendering_is_byte_identical_for_the_same_snapshot(snapshot: dict[str, Any]) -> None:
    context, data = _context(snapshot), canonical_json(snapshot)

    first = render_certificate_pdf(context, data)

    assert render_certificate_pdf(_context(snapshot), data) == first
    assert CertificateRenderer().render_pdf(_context(snapshot), data) == first


def test_reissuing_the_same_snapshot_gives_the_same_unsigned_pdf(
    lab_signer: LabSigner, issued: tuple[bytes, bytes], snapshot: dict[str, Any], issue_certificate
) -> None:
    unsigned, _ = issue_certificate(snapshot, lab_signer)

    assert unsigned == issued[0]


def test_another_snapshot_renders_differently(snapshot: dict[str, Any]) -> None:
    first = render_certificate_pdf(_context(snapshot), canonical_json(snapshot))
    snapshot["product"]["software_version"] = "HyperOS 1.0.1"

    assert render_certificate_pdf(_context(snapshot), canonical_json(snapshot)) != first


def test_certificate_states_everything_required(
    signed_pdf: bytes, tool: Callable[[str], str], tmp_path: Path
) -> None:
    text = _squeeze(_text(signed_pdf, tool, tmp_path))
    pages = int(PdfFileReader(BytesIO(signed_pdf)).root["/Pages"]["/Count"])

    required = [
        "Certificate of Conformity",
        "LC-2026-000123",
        "Valid at issue",
        "21 November 2026",
        "21 November 2027",
        "Supersedes",
        "LabCert Demo Testing Laboratory",
        "Plot 12, Sundar Industrial Estate, Lahore, Pakistan",
        "PNAC-TL-000 (demo)",
        "Ayesha Khan",
        "Authorized signatory (reviewer)",
        "Digitally signed by",
        "Air Link Communication Ltd",
        "Lahore plant 1",
        "Xiaomi",
        "23124RN87G",
        "Redmi 13C",
        "P1.0",
        "HyperOS 1.0",
        "Smartphone",
        "GSM, UMTS, LTE, WLAN, Bluetooth",
        "B20",
        "86753109",
        "86753110",
        "867531090000011",
        "867531090000029",
        "European Union — Radio Equipment Directive 2014/53/EU",
        "eu-red@2025.08",
        "EN 50360:2017+A1:2023",
        "EN 18031-1:2024",
        "Guarded acceptance (ILAC-G8:09/2019",
        "Guarded, w = U",
        "U (k = 2)",
        "SAR head, 10 g",
        "0.83 W/kg",
        "0.25 W/kg",
        "≤ 2.0 W/kg",
        "0.83 W/kg ≤ 2.0 \u2212 U(0.25) = 1.75 → pass",
        "\u221247.2 dBm",
        "dBµV/m",
        "Not applicable to this product",
        "rf.nr_fr1_power",
        "Limit figure not yet confirmed",
        "Result provided by others",
        "Margin chart",
        f"Page 1 of {pages}",
        f"Page {pages} of {pages}",
        "End of certificate LC-2026-000123",
        "The results relate only to the items tested",
        "shall not be reproduced except in full",
        "http://127.0.0.1:5000/verify/LC-2026-000123",
    ]
    missing = [item for item in required if _squeeze(item) not in text]
    assert not missing, missing


def test_qpdf_finds_no_structural_errors(
    signed_pdf: bytes, tool: Callable[[str], str], tmp_path: Path
) -> None:
    path = tmp_path / "signed.pdf"
    path.write_bytes(signed_pdf)

    result = subprocess.run([tool("qpdf"), "--check", str(path)], capture_output=True, text=True)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "No syntax or stream encoding errors found" in result.stdout


def test_every_font_is_embedded_and_subset(
    signed_pdf: bytes, tool: Callable[[str], str], tmp_path: Path
) -> None:
    path = tmp_path / "signed.pdf"
    path.write_bytes(signed_pdf)

    rows = subprocess.run([tool("pdffonts"), str(path)], capture_output=True, text=True, check=True)
    fonts = rows.stdout.splitlines()[2:]

    assert fonts
    assert all(" yes yes yes " in row for row in fonts), rows.stdout
    assert all("Certificate" in row for row in fonts), "a system fallback font was used"


def test_page_one_renders_to_png_for_review(
    signed_pdf: bytes, tool: Callable[[str], str], artifacts_dir: Path
) -> None:
    pdf_path = artifacts_dir / "certificate.pdf"
    pdf_path.write_bytes(signed_pdf)

    subprocess.run(
        [
            tool("pdftoppm"),
            "-png",
            "-r",
            "110",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            str(pdf_path),
            str(artifacts_dir / "certificate-page1"),
        ],
        check=True,
    )

    png = (artifacts_dir / "certificate-page1.png").read_bytes()
    assert png.startswith(b"\x89PNG")
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    assert abs(height / width - 297 / 210) < 0.01  # A4 portrait


def test_amendment_shows_revision_supersedes_and_reason(
    make_snapshot, tool: Callable[[str], str], tmp_path: Path
) -> None:
    snapshot = make_snapshot()
    snapshot["certificate"].update(
        revision=1,
        display_number="LC-2026-000123-R1",
        supersedes="LC-2026-000123",
        amendment_reason="Software version corrected by the holder",
    )

    pdf = render_certificate_pdf(_context(snapshot), canonical_json(snapshot))
    text = _squeeze(_text(pdf, tool, tmp_path))

    assert _squeeze("LC-2026-000123-R1") in text
    assert _squeeze("Supersedes LC-2026-000123") in text
    assert _squeeze("Amendment of LC-2026-000123: Software version corrected by the holder") in text


def test_user_text_is_escaped_not_interpreted(
    make_snapshot, tool: Callable[[str], str], tmp_path: Path
) -> None:
    snapshot = make_snapshot()
    snapshot["holder"]["name"] = '<img src="file:///etc/passwd"> Evil & Co <b>Ltd</b>'

    pdf = render_certificate_pdf(_context(snapshot), canonical_json(snapshot))
    text = _squeeze(_text(pdf, tool, tmp_path))

    assert _squeeze('<img src="file:///etc/passwd"> Evil & Co <b>Ltd</b>') in text
