"""Create the development PKI: a root CA and a lab signing certificate, plainly marked DEVELOPMENT.

Production labs configure their own key (see ``SigningSettings``); this PKI exists so that a
fresh checkout can issue and verify certificates out of the box. Keys are EC P-256 and are
written unencrypted with 0600 permissions, because the development server must read them
without a password prompt.
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID, ObjectIdentifier

from labcert.pki.material import SigningKeyError

ROOT_CERT = "root.pem"
ROOT_KEY = "root-key.pem"
SIGNER_CERT = "signer.pem"
SIGNER_KEY = "signer-key.pem"

ROOT_VALIDITY = dt.timedelta(days=7305)  # 20 years
SIGNER_VALIDITY = dt.timedelta(days=2557)  # 7 years: outlives the longest certificate (5 y)
CLOCK_SKEW = dt.timedelta(minutes=5)
CRL_VALIDITY = dt.timedelta(days=7)

DEVELOPMENT_MARK = "DEVELOPMENT"
_ROOT_SUFFIX = "DEVELOPMENT root CA (not for production)"
_SIGNER_SUFFIX = "DEVELOPMENT signing key"
_MAX_NAME = 64  # X.520 upper bound for commonName and organizationName

# id-kp-documentSigning (RFC 9336). Listed together with emailProtection: poppler/NSS report
# "Unknown issue with Certificate" when documentSigning is the only extended key usage.
DOCUMENT_SIGNING = ObjectIdentifier("1.3.6.1.5.5.7.3.36")


@dataclass(frozen=True)
class DevIssuer:
    """A CA's key and certificate."""

    key: ec.EllipticCurvePrivateKey
    cert: x509.Certificate


def init_dev_pki(directory: Path, lab_name: str) -> list[Path]:
    """Create the development root CA and signing certificate in directory unless present."""
    directory = Path(directory)
    paths = {name: directory / name for name in (ROOT_CERT, ROOT_KEY, SIGNER_CERT, SIGNER_KEY)}
    present = {name for name, path in paths.items() if path.exists()}
    if len(present) == len(paths):
        return []
    if present & {SIGNER_CERT, SIGNER_KEY} or present == {ROOT_CERT} or present == {ROOT_KEY}:
        raise SigningKeyError(
            f"{directory}: the development PKI is incomplete (found {', '.join(sorted(present))});"
            " move the folder aside and run `labcert pki init` again"
        )

    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    created: list[Path] = []
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    if present:
        root = read_root(paths[ROOT_CERT], paths[ROOT_KEY])
    else:
        root = _make_root(lab_name, now)
        created += [
            _write_key(paths[ROOT_KEY], root.key),
            _write_cert(paths[ROOT_CERT], root.cert),
        ]
    signer_key = ec.generate_private_key(ec.SECP256R1())
    signer_cert = make_signer_certificate(lab_name, signer_key.public_key(), root, now)
    created += [
        _write_key(paths[SIGNER_KEY], signer_key),
        _write_cert(paths[SIGNER_CERT], signer_cert),
    ]
    return created


def _name(lab_name: str, suffix: str) -> x509.Name:
    """Put the lab name in the common name when it fits; the organization always carries it."""
    lab_name = " ".join(lab_name.split()) or "LabCert"
    common = f"{lab_name} {suffix}"
    if len(common) > _MAX_NAME:
        common = suffix
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, common),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, lab_name[:_MAX_NAME]),
            x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, f"{DEVELOPMENT_MARK} ONLY"),
        ]
    )


def _make_root(lab_name: str, now: dt.datetime) -> DevIssuer:
    key = ec.generate_private_key(ec.SECP256R1())
    name = _name(lab_name, _ROOT_SUFFIX)
    ski = x509.SubjectKeyIdentifier.from_public_key(key.public_key())
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(_serial())
        .not_valid_before(now - CLOCK_SKEW)
        .not_valid_after(now + ROOT_VALIDITY)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_key_usage(cert_sign=True), critical=True)
        .add_extension(ski, critical=False)
        .sign(key, hashes.SHA256())
    )
    return DevIssuer(key, cert)


def make_signer_certificate(
    lab_name: str,
    public_key: ec.EllipticCurvePublicKey,
    root: DevIssuer,
    now: dt.datetime,
    suffix: str = _SIGNER_SUFFIX,
) -> x509.Certificate:
    """Issue a development signing certificate for public_key under the development root."""
    not_after = min(now + SIGNER_VALIDITY, root.cert.not_valid_after_utc)
    root_ski = root.cert.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
    return (
        x509.CertificateBuilder()
        .subject_name(_name(lab_name, suffix))
        .issuer_name(root.cert.subject)
        .public_key(public_key)
        .serial_number(_serial())
        .not_valid_before(now - CLOCK_SKEW)
        .not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_key_usage(cert_sign=False), critical=True)
        .add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION, DOCUMENT_SIGNING]),
            critical=False,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(root_ski),
            critical=False,
        )
        .sign(root.key, hashes.SHA256())
    )


def _key_usage(*, cert_sign: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=not cert_sign,
        content_commitment=not cert_sign,  # non-repudiation: pyHanko's validator requires it
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=cert_sign,
        crl_sign=cert_sign,
        encipher_only=False,
        decipher_only=False,
    )


def _serial() -> int:
    return secrets.randbits(120) | (1 << 120)


def read_root(cert_path: Path, key_path: Path) -> DevIssuer:
    """Read the development root CA and its key, or explain how to start afresh."""
    try:
        cert = x509.load_pem_x509_certificate(cert_path.read_bytes())
        key = serialization.load_pem_private_key(key_path.read_bytes(), password=None)
    except (OSError, ValueError, TypeError) as exc:
        raise SigningKeyError(
            f"{cert_path.parent}: cannot read the development root CA ({exc});"
            " move the folder aside and run `labcert pki init` again"
        ) from exc
    if not isinstance(key, ec.EllipticCurvePrivateKey):
        raise SigningKeyError(f"{key_path}: not an EC key; move the folder aside and re-run init")
    return DevIssuer(key, cert)


def revocation_lists(
    directory: Path, signer: x509.Certificate
) -> Callable[[], list[x509.CertificateRevocationList]] | None:
    """Return a maker of fresh empty CRLs from the development root, if that root issued signer.

    The development PKI runs no revocation service; B-LT/B-LTA validation at a past time still
    needs revocation data for every certificate of the chain, so the signer embeds this CRL.
    """
    cert_path, key_path = Path(directory) / ROOT_CERT, Path(directory) / ROOT_KEY
    if not (cert_path.exists() and key_path.exists()):
        return None
    root = read_root(cert_path, key_path)
    try:
        signer.verify_directly_issued_by(root.cert)
    except (ValueError, TypeError, InvalidSignature):
        return None
    root_ski = root.cert.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value

    def fresh() -> list[x509.CertificateRevocationList]:
        now = dt.datetime.now(dt.UTC).replace(microsecond=0)
        crl = (
            x509.CertificateRevocationListBuilder()
            .issuer_name(root.cert.subject)
            .last_update(now)
            .next_update(now + CRL_VALIDITY)
            .add_extension(x509.CRLNumber(int(now.timestamp())), critical=False)
            .add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(root_ski),
                critical=False,
            )
            .sign(root.key, hashes.SHA256())
        )
        return [crl]

    return fresh


def _write_key(path: Path, key: ec.EllipticCurvePrivateKey) -> Path:
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return _write_new(path, pem, 0o600)


def _write_cert(path: Path, cert: x509.Certificate) -> Path:
    return _write_new(path, cert.public_bytes(serialization.Encoding.PEM), 0o644)


def _write_new(path: Path, data: bytes, mode: int) -> Path:
    """Write a file that must not exist yet, created with its final permissions."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    os.chmod(path, mode)  # the umask may have narrowed the mode given to os.open
    return path
