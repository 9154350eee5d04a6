"""Verification of signed certificates by our verifier, pyHanko's validator and poppler's pdfsig."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
from collections.abc import Callable
from io import BytesIO
from pathlib import Path
from typing import Any

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from pyhanko.keys.internal import translate_pyca_cryptography_cert_to_asn1
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.fields import MDPPerm
from pyhanko.sign.timestamps import DummyTimeStamper
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import ModificationLevel, SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from labcert.pki import LabSigner, PdfCheck, SigningSettings, load_signer, verify_pdf
from labcert.pki.material import KeyMaterial


def _check(result: PdfCheck, name: str) -> Any:
    return next(check for check in result.checks if check.name == name)


def _signed_ranges(pdf: bytes) -> list[tuple[int, int]]:
    match = re.search(rb"/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]", pdf)
    assert match
    a, b, c, d = (int(g) for g in match.groups())
    return [(a, a + b), (c, c + d)]


def _flip(pdf: bytes, offset: int) -> bytes:
    return pdf[:offset] + bytes([pdf[offset] ^ 0x01]) + pdf[offset + 1 :]


def _verify(pdf: bytes, signer: LabSigner) -> PdfCheck:
    return verify_pdf(pdf, signer.trust_roots, signer.certificate)


def test_an_issued_certificate_is_authentic(
    signed_pdf: bytes, lab_signer: LabSigner, snapshot: dict[str, Any]
) -> None:
    result = _verify(signed_pdf, lab_signer)

    assert result.authentic, result.checks
    assert [c.name for c in result.checks] == ["signature", "signer", "integrity"]
    assert result.is_pdf
    assert result.attached_json == snapshot
    assert result.number == "LC-2026-000123"
    assert result.revision == 0
    assert result.pades_level == "B-B"
    assert "DEVELOPMENT signing key" in result.signer_subject
    assert result.signed_at is not None
    assert len(result.sha256) == 64


def test_pyhanko_validates_intact_trusted_and_covering_the_entire_file(
    signed_pdf: bytes, lab_signer: LabSigner
) -> None:
    reader = PdfFileReader(BytesIO(signed_pdf))
    (embedded,) = reader.embedded_signatures
    context = ValidationContext(
        trust_roots=[translate_pyca_cryptography_cert_to_asn1(c) for c in lab_signer.trust_roots]
    )

    status = validate_pdf_signature(embedded, context)

    assert status.intact and status.valid and status.trusted
    assert status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    assert status.modification_level == ModificationLevel.NONE
    assert status.docmdp_ok
    assert embedded.docmdp_level == MDPPerm.NO_CHANGES
    assert status.bottom_line


def test_pdfsig_reports_a_valid_signature_by_a_trusted_certificate(
    signed_pdf: bytes, pki_dir: Path, tool: Callable[[str], str], tmp_path: Path
) -> None:
    pdfsig, certutil = tool("pdfsig"), tool("certutil")
    nss = tmp_path / "nss"
    nss.mkdir()
    subprocess.run([certutil, "-N", "--empty-password", "-d", f"sql:{nss}"], check=True)
    # Trusted for e-mail (S/MIME): with "C,," (SSL only) poppler 22 says "issuer isn't Trusted".
    subprocess.run(
        [
            certutil,
            "-A",
            "-n",
            "labcert-dev-root",
            "-t",
            "C,C,",
            "-i",
            str(pki_dir / "root.pem"),
            "-d",
            f"sql:{nss}",
        ],
        check=True,
    )
    path = tmp_path / "certificate.pdf"
    path.write_bytes(signed_pdf)

    output = subprocess.run(
        [pdfsig, "-nssdir", f"sql:{nss}", str(path)], capture_output=True, text=True
    ).stdout

    assert "Signature Validation: Signature is Valid." in output, output
    assert "Certificate Validation: Certificate is Trusted." in output, output
    assert "Total document signed" in output
    assert "ETSI.CAdES.detached" in output


def test_a_flipped_byte_inside_the_signed_content_breaks_signature_and_integrity(
    signed_pdf: bytes, lab_signer: LabSigner
) -> None:
    # Flip a byte in the middle of the largest stream (a font): the file still parses.
    streams = [
        (m.end(), signed_pdf.index(b"endstream", m.end()))
        for m in re.finditer(rb"(?<!end)stream\r?\n", signed_pdf)
    ]
    start, end = max(streams, key=lambda span: span[1] - span[0])
    (first_start, first_end), _ = _signed_ranges(signed_pdf)
    assert first_start <= start and end <= first_end

    result = _verify(_flip(signed_pdf, (start + end) // 2), lab_signer)

    assert result.is_pdf and not result.authentic
    assert not _check(result, "signature").ok
    assert "does not match the document" in _check(result, "signature").message
    assert not _check(result, "integrity").ok
    assert "altered after signing" in _check(result, "integrity").message


def test_a_flipped_byte_anywhere_in_the_signed_ranges_is_never_authentic(
    signed_pdf: bytes, lab_signer: LabSigner
) -> None:
    offsets = []
    for start, end in _signed_ranges(signed_pdf):
        offsets += [start + (end - start) * k // 16 for k in range(16)] + [end - 1]

    for offset in offsets:
        result = _verify(_flip(signed_pdf, offset), lab_signer)
        assert not result.authentic, offset
        assert not _check(result, "integrity").ok, offset


def test_a_flipped_byte_in_the_signature_itself_is_not_authentic(
    signed_pdf: bytes, lab_signer: LabSigner
) -> None:
    (_, gap_start), (gap_end, _) = _signed_ranges(signed_pdf)
    contents = signed_pdf[gap_start + 1 : gap_end - 1]
    last_nonzero = gap_start + 1 + len(contents.rstrip(b"0")) - 10

    other = b"0" if signed_pdf[last_nonzero] != ord("0") else b"1"

    result = _verify(signed_pdf[:last_nonzero] + other + signed_pdf[last_nonzero + 1 :], lab_signer)

    assert not result.authentic
    assert not _check(result, "signature").ok


def _append_forged_attachment(pdf: bytes, forged: bytes) -> bytes:
    writer = IncrementalPdfFileWriter(BytesIO(pdf))
    spec = writer.root["/Names"]["/EmbeddedFiles"]["/Names"][1]
    stream = generic.StreamObject(
        {generic.pdf_name("/Type"): generic.pdf_name("/EmbeddedFile")}, stream_data=forged
    )
    spec["/EF"][generic.pdf_name("/F")] = writer.add_object(stream)
    writer.update_container(spec)
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def test_an_appended_update_is_detected_and_data_is_read_from_the_signed_revision(
    signed_pdf: bytes, lab_signer: LabSigner, snapshot: dict[str, Any]
) -> None:
    forged = _append_forged_attachment(signed_pdf, b'{"certificate":{"number":"LC-2026-999999"}}')
    reader = PdfFileReader(BytesIO(forged))
    assert reader.root["/Names"]["/EmbeddedFiles"]["/Names"][1]["/EF"]["/F"].data.startswith(
        b'{"certificate"'
    )

    result = _verify(forged, lab_signer)

    assert not result.authentic
    assert _check(result, "signature").ok  # the signed bytes themselves are untouched
    assert _check(result, "signer").ok
    assert not _check(result, "integrity").ok
    assert "added to the file after it was signed" in _check(result, "integrity").message
    assert result.attached_json == snapshot
    assert result.number == "LC-2026-000123"


def test_a_harmless_looking_appended_update_is_still_not_authentic(
    signed_pdf: bytes, lab_signer: LabSigner
) -> None:
    writer = IncrementalPdfFileWriter(BytesIO(signed_pdf))
    writer.root[generic.pdf_name("/PageMode")] = generic.pdf_name("/UseOutlines")
    writer.update_root()
    out = BytesIO()
    writer.write(out)

    result = _verify(out.getvalue(), lab_signer)

    assert not result.authentic
    assert not _check(result, "integrity").ok


def test_a_certificate_signed_by_a_foreign_key_is_not_signed_by_the_lab(
    lab_signer: LabSigner, foreign_signer: LabSigner, issued: tuple[bytes, bytes]
) -> None:
    forged = foreign_signer.sign_pdf(issued[0])

    result = _verify(forged, lab_signer)

    assert not result.authentic
    assert _check(result, "signature").ok
    assert not _check(result, "signer").ok
    assert "not signed by the lab" in _check(result, "signer").message.lower()
    assert _check(result, "integrity").ok


def test_another_certificate_under_the_lab_root_is_not_the_lab_signing_key(
    lab_signer: LabSigner, pki_dir: Path, issued: tuple[bytes, bytes]
) -> None:
    other = LabSigner(_second_signer(pki_dir, lab_signer))
    signed = other.sign_pdf(issued[0])

    pinned = verify_pdf(signed, lab_signer.trust_roots, lab_signer.certificate)
    any_lab_key = verify_pdf(signed, lab_signer.trust_roots)

    assert not pinned.authentic
    assert "not signed by the lab's signing key" in _check(pinned, "signer").message.lower()
    assert any_lab_key.authentic


def test_a_file_that_is_not_a_pdf_is_reported_as_such(lab_signer: LabSigner) -> None:
    result = _verify(b"PK\x03\x04 this is a zip, not a certificate", lab_signer)

    assert not result.is_pdf and not result.authentic
    assert _check(result, "signature").message == "The file is not a PDF document."
    assert all(not c.ok for c in result.checks)
    assert result.attached_json is None and result.number is None


def test_a_pdf_without_signature_is_reported_as_unsigned(
    issued: tuple[bytes, bytes], lab_signer: LabSigner
) -> None:
    result = _verify(issued[0], lab_signer)

    assert result.is_pdf and not result.authentic
    assert "no digital signature" in _check(result, "signature").message
    assert result.attached_json is None  # unsigned data is not vouched for


def test_a_truncated_pdf_is_not_authentic(signed_pdf: bytes, lab_signer: LabSigner) -> None:
    result = _verify(signed_pdf[: len(signed_pdf) // 2], lab_signer)

    assert result.is_pdf and not result.authentic


def test_each_failure_has_its_own_message(
    signed_pdf: bytes, issued: tuple[bytes, bytes], lab_signer: LabSigner, foreign_signer: LabSigner
) -> None:
    streams = [
        (m.end(), signed_pdf.index(b"endstream", m.end()))
        for m in re.finditer(rb"(?<!end)stream\r?\n", signed_pdf)
    ]
    start, end = max(streams, key=lambda span: span[1] - span[0])
    cases = {
        "not a pdf": _verify(b"hello", lab_signer),
        "unsigned": _verify(issued[0], lab_signer),
        "tampered": _verify(_flip(signed_pdf, (start + end) // 2), lab_signer),
        "appended": _verify(_append_forged_attachment(signed_pdf, b"{}"), lab_signer),
        "foreign": _verify(foreign_signer.sign_pdf(issued[0]), lab_signer),
    }
    failing = {
        name: tuple(c.message for c in result.checks if not c.ok) for name, result in cases.items()
    }

    assert len(set(failing.values())) == len(cases), failing


def test_b_t_signature_with_a_time_stamp_verifies(
    lab_signer: LabSigner, pki_dir: Path, issued: tuple[bytes, bytes]
) -> None:
    stamper = _dummy_tsa(pki_dir)
    signer = lab_signer.with_timestamper(stamper)

    signed = signer.sign_pdf(issued[0])
    result = _verify(signed, lab_signer)

    assert signer.pades_level == "B-T"
    assert result.authentic, result.checks
    assert result.pades_level == "B-T"
    assert "time-stamped" in _check(result, "signature").message
    reader = PdfFileReader(BytesIO(signed))
    context = ValidationContext(
        trust_roots=[translate_pyca_cryptography_cert_to_asn1(c) for c in lab_signer.trust_roots]
    )
    status = validate_pdf_signature(reader.embedded_signatures[0], context)
    assert status.timestamp_validity is not None
    assert (
        status.timestamp_validity.intact
        and status.timestamp_validity.valid
        and status.timestamp_validity.trusted
    )


def _root(pki_dir: Path) -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate]:
    key = serialization.load_pem_private_key((pki_dir / "root-key.pem").read_bytes(), None)
    assert isinstance(key, ec.EllipticCurvePrivateKey)
    return key, x509.load_pem_x509_certificate((pki_dir / "root.pem").read_bytes())


def _issue(pki_dir: Path, name: str, key: Any, eku: list, usage: x509.KeyUsage) -> x509.Certificate:
    root_key, root = _root(pki_dir)
    now = dt.datetime.now(dt.UTC)
    return (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)]))
        .issuer_name(root.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(usage, critical=True)
        .add_extension(x509.ExtendedKeyUsage(eku), critical=True)
        .sign(root_key, hashes.SHA256())
    )


def _second_signer(pki_dir: Path, lab_signer: LabSigner) -> KeyMaterial:
    key = ec.generate_private_key(ec.SECP256R1())
    usage = x509.KeyUsage(True, True, False, False, False, False, False, False, False)
    cert = _issue(pki_dir, "Second signing key", key, [ExtendedKeyUsageOID.EMAIL_PROTECTION], usage)
    return KeyMaterial(key, cert, tuple(lab_signer.chain), tuple(lab_signer.trust_roots))


def _dummy_tsa(pki_dir: Path) -> DummyTimeStamper:
    key = rsa.generate_private_key(
        public_exponent=65537, key_size=2048
    )  # the dummy TSA is RSA-only
    usage = x509.KeyUsage(True, False, False, False, False, False, False, False, False)
    cert = _issue(
        pki_dir,
        "Test TSA (pyHanko DummyTimeStamper)",
        key,
        [ExtendedKeyUsageOID.TIME_STAMPING],
        usage,
    )
    der_key = key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return DummyTimeStamper(
        tsa_cert=asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER)),
        tsa_key=asn1_keys.PrivateKeyInfo.load(der_key),
    )


def test_load_signer_signs_b_lta_by_default_when_a_tsa_url_is_set(pki_dir: Path) -> None:
    signer = load_signer(SigningSettings(dev_dir=pki_dir, tsa_url="http://127.0.0.1:9/tsa"))

    assert signer.pades_level == "B-LTA"
