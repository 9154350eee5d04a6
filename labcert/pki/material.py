"""Read the lab's signing key, certificate and chain from a PKCS#12 file, PEM files or the dev PKI.

Every failure becomes a ``SigningKeyError`` whose one-line message names the file, says what is
wrong and what to do, so that a misconfigured key stops the app at start-up instead of failing an
issuance later.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from cryptography.hazmat.primitives.serialization import pkcs12

from labcert.pki.settings import SigningKeyError, SigningSettings

__all__ = [
    "KeyMaterial",
    "PrivateKey",
    "SigningKeyError",
    "SigningSettings",
    "check_validity",
    "read_chain",
    "read_key_material",
    "trust_anchors",
]

PrivateKey = ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey | ed25519.Ed25519PrivateKey

MIN_RSA_BITS = 2048


@dataclass(frozen=True)
class KeyMaterial:
    """A parsed private key with its certificate, the chain above it and the trust anchors."""

    key: PrivateKey
    certificate: x509.Certificate
    chain: tuple[x509.Certificate, ...]
    trust_roots: tuple[x509.Certificate, ...]


def read_key_material(settings: SigningSettings, now: dt.datetime | None = None) -> KeyMaterial:
    """Load and check the key material that settings name."""
    if settings.p12_path:
        key, cert, chain = _read_p12(Path(settings.p12_path), settings.p12_password)
        chain += read_chain(settings.chain_paths)
    elif settings.key_path or settings.cert_path:
        if not (settings.key_path and settings.cert_path):
            missing = "LABCERT_SIGNING_CERT" if settings.key_path else "LABCERT_SIGNING_KEY"
            raise SigningKeyError(f"{missing} is not set: set both LABCERT_SIGNING_KEY and CERT")
        key = _read_pem_key(Path(settings.key_path))
        cert = _read_certs(Path(settings.cert_path))[0]
        chain = read_chain(settings.chain_paths)
    elif settings.dev_dir:
        key, cert, chain = _read_dev(Path(settings.dev_dir))
    else:
        raise SigningKeyError(
            "no signing key configured: set LABCERT_SIGNING_P12 (or LABCERT_SIGNING_KEY and"
            " LABCERT_SIGNING_CERT), or run `labcert pki init` for a development key"
        )
    where = settings.p12_path or settings.cert_path or Path(settings.dev_dir or ".") / "signer.pem"
    _check(key, cert, Path(where), now or dt.datetime.now(dt.UTC))
    chain = tuple(c for c in _unique(chain) if c != cert)
    return KeyMaterial(key, cert, chain, trust_anchors(cert, chain))


def _read_p12(
    path: Path, password: str | None
) -> tuple[PrivateKey, x509.Certificate, list[x509.Certificate]]:
    data = _read_file(path, "LABCERT_SIGNING_P12")
    secret = password.encode() if password else None
    try:
        key, cert, extra = pkcs12.load_key_and_certificates(data, secret)
    except ValueError as exc:
        if not data.startswith(b"\x30"):  # every PKCS#12 file is a DER SEQUENCE
            raise SigningKeyError(f"{path}: not a PKCS#12 (.p12/.pfx) file") from exc
        raise SigningKeyError(
            f"{path}: cannot open the PKCS#12 file: wrong or missing password"
            " (LABCERT_SIGNING_P12_PASSWORD), or the file is damaged"
        ) from exc
    if key is None or cert is None:
        raise SigningKeyError(f"{path}: the PKCS#12 file holds no private key with its certificate")
    return _supported(key, path), cert, list(extra)


def _read_pem_key(path: Path) -> PrivateKey:
    data = _read_file(path, "LABCERT_SIGNING_KEY")
    try:
        key = serialization.load_pem_private_key(data, password=None)
    except TypeError as exc:
        raise SigningKeyError(
            f"{path}: the private key is password-protected; store it unencrypted and readable"
            " only by the service account, or use LABCERT_SIGNING_P12 with its password"
        ) from exc
    except ValueError as exc:
        raise SigningKeyError(f"{path}: not a PEM private key ({exc})") from exc
    return _supported(key, path)


def _read_certs(path: Path) -> list[x509.Certificate]:
    data = _read_file(path, "certificate")
    try:
        certs = x509.load_pem_x509_certificates(data)
    except ValueError:
        try:
            certs = [x509.load_der_x509_certificate(data)]
        except ValueError as exc:
            raise SigningKeyError(f"{path}: not an X.509 certificate in PEM or DER form") from exc
    return certs


def read_chain(paths: tuple[Path, ...]) -> list[x509.Certificate]:
    return [cert for path in paths for cert in _read_certs(Path(path))]


def _read_dev(directory: Path) -> tuple[PrivateKey, x509.Certificate, list[x509.Certificate]]:
    if not (directory / "signer-key.pem").exists():
        raise SigningKeyError(
            f"{directory}: no development signing key found; run `labcert pki init`"
            " or configure LABCERT_SIGNING_P12 / LABCERT_SIGNING_KEY"
        )
    key = _read_pem_key(directory / "signer-key.pem")
    cert = _read_certs(directory / "signer.pem")[0]
    return key, cert, _read_certs(directory / "root.pem")


def _read_file(path: Path, what: str) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError as exc:
        raise SigningKeyError(f"{path}: file not found ({what}); check the path") from exc
    except OSError as exc:
        raise SigningKeyError(
            f"{path}: cannot read the file ({exc.strerror}); check its permissions"
        ) from exc


def _supported(key: object, path: Path) -> PrivateKey:
    if isinstance(key, ec.EllipticCurvePrivateKey | ed25519.Ed25519PrivateKey):
        return key
    if isinstance(key, rsa.RSAPrivateKey):
        if key.key_size < MIN_RSA_BITS:
            raise SigningKeyError(
                f"{path}: RSA key of {key.key_size} bits is too weak; use RSA-3072 or EC P-256"
            )
        return key
    raise SigningKeyError(
        f"{path}: unsupported key type {type(key).__name__}; use EC P-256 or RSA-3072"
    )


def _check(key: PrivateKey, cert: x509.Certificate, where: Path, now: dt.datetime) -> None:
    if key.public_key() != cert.public_key():
        raise SigningKeyError(
            f"{where}: the certificate does not belong to the private key;"
            " configure the matching pair"
        )
    check_validity(cert, where, now)


def check_validity(cert: x509.Certificate, where: Path | str, now: dt.datetime) -> None:
    """Refuse a signing certificate that has expired or is not valid yet at now."""
    if now > cert.not_valid_after_utc:
        raise SigningKeyError(
            f"{where}: the signing certificate expired on"
            f" {cert.not_valid_after_utc:%Y-%m-%d}; install a renewed one"
        )
    if now < cert.not_valid_before_utc:
        raise SigningKeyError(
            f"{where}: the signing certificate is not valid before"
            f" {cert.not_valid_before_utc:%Y-%m-%d %H:%M} UTC;"
            " check the system clock"
        )


def _unique(certs: list[x509.Certificate]) -> list[x509.Certificate]:
    seen: list[x509.Certificate] = []
    for cert in certs:
        if cert not in seen:
            seen.append(cert)
    return seen


def _is_self_signed(cert: x509.Certificate) -> bool:
    if cert.issuer != cert.subject:
        return False
    try:
        cert.verify_directly_issued_by(cert)
    except (ValueError, TypeError, InvalidSignature):
        return False
    return True


def trust_anchors(
    cert: x509.Certificate, chain: tuple[x509.Certificate, ...]
) -> tuple[x509.Certificate, ...]:
    """Trust the chain's self-signed certificates, else the top of the chain, else the signer."""
    roots = tuple(c for c in chain if _is_self_signed(c))
    if roots:
        return roots
    return (chain[-1],) if chain else (cert,)
