"""Signing at each PAdES level against a loopback PKI; the PDF stays PDF/A-3b and readable."""

from __future__ import annotations

import asyncio
import json
import re
import subprocess
from io import BytesIO
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from pyhanko.keys.internal import translate_pyca_cryptography_cert_to_asn1
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.ades.report import AdESPassed
from pyhanko.sign.validation import ades
from pyhanko.sign.validation.policy_decl import PdfSignatureValidationSpec, SignatureValidationSpec
from pyhanko_certvalidator.context import CertValidationPolicySpec
from pyhanko_certvalidator.policy_decl import REQUIRE_REVINFO, CertRevTrustPolicy
from pyhanko_certvalidator.registry import SimpleTrustManager

from labcert.certificate_facts import CertificateFacts
from labcert.pki import SignatureLevel, SignatureLevelError, resolve_level, verify_pdf
from labcert.pki.attachment import read_attachment
from labcert.specimen import specimen_snapshot
from tests.pdf.conftest import require_tool
from tests.pki.conftest import LEVELS, check
from tests.pki.loopback import LoopbackPki


@pytest.mark.parametrize(
    ("configured", "tsa", "expected"),
    [
        (None, None, "B-B"),
        (None, "http://tsa", "B-LTA"),
        ("", "http://tsa", "B-LTA"),
        ("b-t", "http://tsa", "B-T"),
        ("LT", "http://tsa", "B-LT"),
        ("PAdES-B-LTA", "http://tsa", "B-LTA"),
        ("B-B", "http://tsa", "B-B"),
    ],
)
def test_the_level_follows_the_setting_and_defaults_to_b_lta_with_a_tsa(
    configured: str | None, tsa: str | None, expected: str
) -> None:
    assert resolve_level(configured, tsa) == SignatureLevel(expected)


def test_an_unknown_level_is_refused_naming_the_variable_and_the_choices() -> None:
    with pytest.raises(SignatureLevelError, match=r"LABCERT_SIGNATURE_LEVEL='B-X'.*B-B, B-T"):
        resolve_level("B-X", "http://tsa")


def test_a_time_stamped_level_without_a_tsa_is_refused() -> None:
    with pytest.raises(SignatureLevelError, match=r"needs a time-stamping authority.*TSA_URL"):
        resolve_level("B-LTA", None)


@pytest.mark.parametrize("level", LEVELS)
def test_each_level_verifies_as_authentic_and_is_recognised(
    signed: dict[str, bytes], loopback: LoopbackPki, level: str
) -> None:
    result = verify_pdf(signed[level], [loopback.root], loopback.cert("lab"))

    assert result.authentic, result.checks
    assert result.pades_level == level
    assert result.attached_json == specimen_snapshot()
    if level == "B-B":
        assert result.validated_by is None
        assert "checked against the signing certificate's validity today" in check(
            result, "signature").message
    else:
        assert result.validated_by is not None and "Test TSA 1" in result.validated_by
        assert "validated at" in check(result, "signature").message


def test_each_level_adds_what_it_promises(signed: dict[str, bytes]) -> None:
    def parts(pdf: bytes) -> tuple[int, bool, int]:
        reader = PdfFileReader(BytesIO(pdf))
        return (len(reader.embedded_regular_signatures), "/DSS" in reader.root,
                len(reader.embedded_timestamp_signatures))

    assert parts(signed["B-B"]) == (1, False, 0)
    assert parts(signed["B-T"]) == (1, False, 0)
    assert parts(signed["B-LT"]) == (1, True, 0)
    assert parts(signed["B-LTA"]) == (1, True, 1)
    dss = PdfFileReader(BytesIO(signed["B-LTA"])).root["/DSS"]
    assert len(dss["/Certs"]) >= 3 and (len(dss.get("/OCSPs", [])) + len(dss.get("/CRLs", [])))
    assert len(signed["B-T"]) > len(signed["B-B"])


def test_pyhanko_ades_lta_validation_passes_for_b_lta(
    signed: dict[str, bytes], loopback: LoopbackPki
) -> None:
    reader = PdfFileReader(BytesIO(signed["B-LTA"]))
    root = translate_pyca_cryptography_cert_to_asn1(loopback.root)
    spec = PdfSignatureValidationSpec(SignatureValidationSpec(CertValidationPolicySpec(
        trust_manager=SimpleTrustManager.build([root]),
        revinfo_policy=CertRevTrustPolicy(REQUIRE_REVINFO),
    )))

    result = asyncio.run(ades.ades_lta_validation(reader.embedded_signatures[0], spec))

    assert result.ades_subindic == AdESPassed.OK, result.failure_msg
    assert result.oldest_evidence_record_timestamp is not None


@pytest.mark.parametrize("level", LEVELS)
def test_the_pdf_stays_pdf_a_3b_with_its_json_attachment(
    signed: dict[str, bytes], level: str, tmp_path: Path
) -> None:
    pdf = signed[level]
    reader = PdfFileReader(BytesIO(pdf))
    xmp = reader.root["/Metadata"].data.decode("utf-8")
    names = reader.root["/Names"]["/EmbeddedFiles"]["/Names"]

    assert pdf.startswith(b"%PDF-1.7")
    assert "/Version" not in reader.root  # no update may raise the document to PDF 2.0
    assert re.search(r'pdfaid:part(="|>)3', xmp) and re.search(r'pdfaid:conformance(="|>)B', xmp)
    assert names[0] == "certificate.json"
    assert json.loads(names[1]["/EF"]["/F"].data) == specimen_snapshot()
    facts = CertificateFacts.from_json(specimen_snapshot())
    assert names[1]["/EF"]["/F"].data == facts.canonical_json()
    assert read_attachment(reader, reader.embedded_regular_signatures[0].signed_revision)
    path = tmp_path / "certificate.pdf"
    path.write_bytes(pdf)
    qpdf = subprocess.run([require_tool("qpdf"), "--check", str(path)],
                          capture_output=True, text=True)
    assert qpdf.returncode == 0, qpdf.stdout + qpdf.stderr


@pytest.mark.parametrize("level", ["B-B", "B-LTA"])
def test_pdfsig_reports_the_signature_valid_and_trusted(
    signed: dict[str, bytes], loopback: LoopbackPki, level: str, tmp_path: Path
) -> None:
    pdfsig, certutil = require_tool("pdfsig"), require_tool("certutil")
    nss = tmp_path / "nss"
    nss.mkdir()
    root = tmp_path / "root.pem"
    root.write_bytes(loopback.root.public_bytes(serialization.Encoding.PEM))
    subprocess.run([certutil, "-N", "--empty-password", "-d", f"sql:{nss}"], check=True)
    subprocess.run([certutil, "-A", "-n", "test-root", "-t", "C,C,", "-i", str(root),
                    "-d", f"sql:{nss}"], check=True)
    path = tmp_path / "certificate.pdf"
    path.write_bytes(signed[level])

    # NSS asks OCSP responders with GET; certomancer answers POST only, so no online check.
    output = subprocess.run([pdfsig, "-no-ocsp", "-nssdir", f"sql:{nss}", str(path)],
                            capture_output=True, text=True).stdout
    first = output.split("Signature #2")[0]

    assert "Signature Validation: Signature is Valid." in first, output
    assert "Certificate Validation: Certificate is Trusted." in first, output
    assert ("Signature #2" in output) == (level == "B-LTA")  # the document time-stamp


def test_the_signer_refuses_a_time_stamped_level_without_a_time_stamper(
    loopback: LoopbackPki,
) -> None:
    from labcert.pki import LabSigner

    with pytest.raises(ValueError, match="B-LTA signature needs a time-stamper"):
        LabSigner(loopback.material(), level=SignatureLevel.B_LTA)


def test_the_development_pki_signs_b_lta_that_validates_with_its_embedded_crl(
    loopback: LoopbackPki, unsigned: bytes, tmp_path: Path
) -> None:
    from labcert.pki import SigningSettings, init_dev_pki, load_signer

    init_dev_pki(tmp_path / "pki", "Dev Lab")
    tsa_root = tmp_path / "tsa-root.pem"
    tsa_root.write_bytes(loopback.root.public_bytes(serialization.Encoding.PEM))
    signer = load_signer(SigningSettings(dev_dir=tmp_path / "pki", tsa_url=loopback.tsa_url(),
                                         tsa_roots=(tsa_root,)))

    signed = signer.sign_pdf(unsigned)
    result = verify_pdf(signed, signer.trust_roots, signer.certificate, tsa_roots=[loopback.root])
    crls = PdfFileReader(BytesIO(signed)).root["/DSS"]["/CRLs"]

    assert signer.pades_level == "B-LTA"
    assert result.authentic, result.checks
    # the development root runs no revocation service: its CRL travels in the document
    assert any(b"DEVELOPMENT root CA" in c.get_object().data for c in crls)


def test_no_development_crl_is_made_for_a_key_the_development_root_did_not_issue(
    loopback: LoopbackPki, tmp_path: Path
) -> None:
    from labcert.pki import init_dev_pki
    from labcert.pki.devpki import revocation_lists

    init_dev_pki(tmp_path / "pki", "Dev Lab")

    assert revocation_lists(tmp_path / "pki", loopback.cert("lab")) is None
    assert revocation_lists(tmp_path / "nothing-here", loopback.cert("lab")) is None


@pytest.mark.parametrize("level", ["B-T", "B-LTA"])
def test_an_update_beyond_long_term_data_is_still_refused(
    signed: dict[str, bytes], loopback: LoopbackPki, level: str
) -> None:
    from tests.pdf.test_verify import _append_forged_attachment

    forged = _append_forged_attachment(signed[level], b'{"certificate":{"number":"LC-X"}}')

    result = verify_pdf(forged, [loopback.root], loopback.cert("lab"))

    assert not result.authentic
    assert not check(result, "integrity").ok
    assert "added to the file after it was signed" in check(result, "integrity").message
    assert result.attached_json == specimen_snapshot()  # read from the signed revision
