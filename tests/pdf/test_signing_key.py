"""Loading the lab's signing key: P12, PEM or dev PKI; clear one-line errors; parsed once."""

from __future__ import annotations

import datetime as dt
from io import BytesIO
from pathlib import Path

import pydyf
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

from labcert.pki import (
    LabSigner,
    SigningKeyError,
    SigningSettings,
    init_dev_pki,
    load_signer,
    verify_pdf,
)
from labcert.pki.material import read_key_material

LAB = "LabCert Demo Testing Laboratory"


@pytest.fixture
def dev(tmp_path: Path) -> Path:
    directory = tmp_path / "pki"
    init_dev_pki(directory, LAB)
    return directory


def _p12(dev: Path, password: bytes | None) -> bytes:
    key = serialization.load_pem_private_key((dev / "signer-key.pem").read_bytes(), None)
    cert = x509.load_pem_x509_certificate((dev / "signer.pem").read_bytes())
    root = x509.load_pem_x509_certificate((dev / "root.pem").read_bytes())
    encryption = (
        serialization.BestAvailableEncryption(password)
        if password
        else serialization.NoEncryption()
    )
    return pkcs12.serialize_key_and_certificates(b"lab", key, cert, [root], encryption)


def test_dev_pki_loads_with_chain_and_root_as_trust_anchor(dev: Path) -> None:
    signer = load_signer(SigningSettings(dev_dir=dev))
    root = x509.load_pem_x509_certificate((dev / "root.pem").read_bytes())

    assert signer.trust_roots == [root]
    assert signer.chain == [root]
    info = signer.info()
    assert info["is_development"] is True
    assert info["key_type"] == "EC P-256"
    assert 2550 <= info["days_until_expiry"] <= 2557
    assert "DEVELOPMENT signing key" in info["subject"]
    assert len(info["fingerprint_sha256"].split(":")) == 32
    assert signer.public_pem().startswith("-----BEGIN CERTIFICATE-----")
    assert x509.load_pem_x509_certificate(signer.root_pem().encode()) == root


def test_password_protected_p12_loads_with_its_password(dev: Path, tmp_path: Path) -> None:
    path = tmp_path / "lab.p12"
    path.write_bytes(_p12(dev, b"s3cret"))

    signer = load_signer(SigningSettings(p12_path=path, p12_password="s3cret"))

    assert signer.certificate == x509.load_pem_x509_certificate((dev / "signer.pem").read_bytes())
    assert [c.subject for c in signer.trust_roots] == [signer.chain[0].subject]


def test_pem_key_and_certificate_with_separate_chain_load(dev: Path) -> None:
    settings = SigningSettings(
        key_path=dev / "signer-key.pem",
        cert_path=dev / "signer.pem",
        chain_paths=(dev / "root.pem",),
    )

    signer = load_signer(settings)

    assert signer.chain == signer.trust_roots
    assert signer.pades_level == "B-B"


def test_load_signer_is_cached_per_settings(dev: Path) -> None:
    settings = SigningSettings(dev_dir=dev)

    assert load_signer(settings) is load_signer(SigningSettings(dev_dir=dev))


def test_signing_does_not_parse_the_key_again(dev: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    signer = load_signer(SigningSettings(dev_dir=dev))

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the private key was parsed again while signing")

    monkeypatch.setattr("pyhanko.sign.signers.pdf_cms.serialization.load_der_private_key", refuse)
    minimal = _minimal_pdf()

    signed = signer.sign_pdf(minimal)

    assert verify_pdf(signed, signer.trust_roots, signer.certificate).authentic


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        (lambda d: SigningSettings(p12_path=d / "missing.p12"), r"missing\.p12: file not found"),
        (
            lambda d: SigningSettings(key_path=d / "nope.pem", cert_path=d / "signer.pem"),
            r"nope\.pem: file not found",
        ),
        (
            lambda d: SigningSettings(key_path=d / "signer-key.pem"),
            "LABCERT_SIGNING_CERT is not set",
        ),
        (lambda d: SigningSettings(dev_dir=d / "empty"), r"labcert pki init"),
        (lambda d: SigningSettings(), "no signing key configured"),
    ],
)
def test_missing_key_material_is_a_clear_error(dev: Path, settings, message: str) -> None:
    with pytest.raises(SigningKeyError, match=message) as error:
        load_signer(settings(dev))
    assert "\n" not in str(error.value)


def test_garbage_files_are_named_and_explained(dev: Path, tmp_path: Path) -> None:
    garbage = tmp_path / "garbage.bin"
    garbage.write_bytes(b"this is not a key\n" * 10)

    with pytest.raises(SigningKeyError, match=r"garbage\.bin: not a PKCS#12"):
        load_signer(SigningSettings(p12_path=garbage))
    with pytest.raises(SigningKeyError, match=r"garbage\.bin: not a PEM private key"):
        load_signer(SigningSettings(key_path=garbage, cert_path=dev / "signer.pem"))
    with pytest.raises(SigningKeyError, match=r"garbage\.bin: not an X\.509 certificate"):
        load_signer(SigningSettings(key_path=dev / "signer-key.pem", cert_path=garbage))


def test_wrong_p12_password_is_reported_as_such(dev: Path, tmp_path: Path) -> None:
    path = tmp_path / "lab.p12"
    path.write_bytes(_p12(dev, b"right"))

    with pytest.raises(SigningKeyError, match=r"lab\.p12: .*wrong or missing password"):
        load_signer(SigningSettings(p12_path=path, p12_password="wrong"))
    with pytest.raises(SigningKeyError, match="wrong or missing password"):
        load_signer(SigningSettings(p12_path=path))


def test_encrypted_pem_key_asks_for_an_unencrypted_key_or_p12(dev: Path, tmp_path: Path) -> None:
    key = serialization.load_pem_private_key((dev / "signer-key.pem").read_bytes(), None)
    encrypted = tmp_path / "enc.pem"
    encrypted.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.BestAvailableEncryption(b"pw"),
        )
    )

    with pytest.raises(SigningKeyError, match="password-protected"):
        load_signer(SigningSettings(key_path=encrypted, cert_path=dev / "signer.pem"))


def test_a_certificate_of_another_key_is_refused(dev: Path, tmp_path: Path) -> None:
    other = tmp_path / "other-key.pem"
    other.write_bytes(
        ec.generate_private_key(ec.SECP256R1()).private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )

    with pytest.raises(SigningKeyError, match="does not belong to the private key"):
        load_signer(SigningSettings(key_path=other, cert_path=dev / "signer.pem"))


def test_an_expired_certificate_is_refused_with_its_date(tmp_path: Path) -> None:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Old lab key")])
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
        .not_valid_after(dt.datetime(2021, 1, 1, tzinfo=dt.UTC))
        .sign(key, hashes.SHA256())
    )
    (tmp_path / "key.pem").write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    (tmp_path / "cert.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))

    with pytest.raises(SigningKeyError, match="expired on 2021-01-01"):
        load_signer(SigningSettings(key_path=tmp_path / "key.pem", cert_path=tmp_path / "cert.pem"))


def test_weak_rsa_keys_are_refused(tmp_path: Path) -> None:
    key = rsa.generate_private_key(public_exponent=65537, key_size=1024)
    (tmp_path / "weak.pem").write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )

    with pytest.raises(SigningKeyError, match="too weak"):
        read_key_material(
            SigningSettings(key_path=tmp_path / "weak.pem", cert_path=tmp_path / "weak.pem")
        )


def test_rsa_3072_signer_signs_and_verifies(tmp_path: Path) -> None:
    key = rsa.generate_private_key(public_exponent=65537, key_size=3072)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "RSA lab key")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(7)
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(True, True, False, False, False, True, False, False, False), critical=True
        )
        .sign(key, hashes.SHA256())
    )
    settings = SigningSettings(
        key_path=_write(tmp_path, key), cert_path=_write_cert(tmp_path, cert)
    )
    signer = LabSigner(read_key_material(settings))

    signed = signer.sign_pdf(_minimal_pdf())

    result = verify_pdf(signed, signer.trust_roots, signer.certificate)
    assert result.authentic, result.checks
    assert signer.info()["key_type"] == "RSA-3072"


def _write(directory: Path, key: rsa.RSAPrivateKey) -> Path:
    path = directory / "rsa-key.pem"
    path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return path


def _write_cert(directory: Path, cert: x509.Certificate) -> Path:
    path = directory / "rsa-cert.pem"
    path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return path


def _minimal_pdf() -> bytes:
    """Return a tiny one-page PDF made with pydyf, to test signing without WeasyPrint."""
    pdf = pydyf.PDF()
    pdf.add_page(
        pydyf.Dictionary(
            {
                "Type": "/Page",
                "Parent": pdf.pages.reference,
                "MediaBox": pydyf.Array([0, 0, 200, 200]),
            }
        )
    )
    out = BytesIO()
    pdf.write(out)
    return out.getvalue()
