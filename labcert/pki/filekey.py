"""A signing key held in memory, read from a PKCS#12 file, PEM files or the development PKI.

The private key is parsed once: pyHanko's ``SimpleSigner`` re-parses its key on every raw
signature, which costs ~110 ms per call for RSA-3072, so ``_ParsedKeySigner`` signs with the
already parsed key.
"""

from __future__ import annotations

from contextlib import AbstractContextManager, nullcontext
from typing import Any, Protocol

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
from pyhanko.keys.internal import (
    translate_pyca_cryptography_cert_to_asn1,
    translate_pyca_cryptography_key_to_asn1,
)
from pyhanko.sign import signers
from pyhanko.sign.general import get_pyca_cryptography_hash
from pyhanko_certvalidator.registry import SimpleCertificateStore

from labcert.pki.material import KeyMaterial, PrivateKey


class KeyBackend(Protocol):
    """Where the lab's private key lives (memory or a PKCS#11 token) and how it signs."""

    certificate: x509.Certificate
    chain: tuple[x509.Certificate, ...]
    trust_roots: tuple[x509.Certificate, ...]
    key_type: str
    location: str
    lock: AbstractContextManager[Any]

    def pyhanko_signer(self) -> signers.Signer:
        """Return a pyHanko signer that makes CMS signatures with this key."""
        ...

    def sign_token(self, data: bytes) -> bytes:
        """Return a compact raw signature of data (ECDSA as r||s, as in JWS)."""
        ...


def chain_registry(chain: tuple[x509.Certificate, ...]) -> SimpleCertificateStore:
    """Return the chain as a pyHanko certificate store."""
    registry = SimpleCertificateStore()
    registry.register_multiple([translate_pyca_cryptography_cert_to_asn1(c) for c in chain])
    return registry


class _ParsedKeySigner(signers.SimpleSigner):
    """A pyHanko SimpleSigner that signs with an already parsed key instead of re-parsing it."""

    def __init__(
        self, key: PrivateKey, cert: asn1_x509.Certificate, registry: SimpleCertificateStore
    ):
        super().__init__(
            signing_cert=cert,
            signing_key=translate_pyca_cryptography_key_to_asn1(key),
            cert_registry=registry,
        )
        self._parsed_key = key

    def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
        """Sign data with the cached key using the mechanism pyHanko selected."""
        mechanism = self.get_signature_mechanism_for_digest(digest_algorithm).signature_algo
        key = self._parsed_key
        if mechanism == "ecdsa" and isinstance(key, ec.EllipticCurvePrivateKey):
            return key.sign(data, ec.ECDSA(get_pyca_cryptography_hash(digest_algorithm)))
        if mechanism == "rsassa_pkcs1v15" and isinstance(key, rsa.RSAPrivateKey):
            return key.sign(data, PKCS1v15(), get_pyca_cryptography_hash(digest_algorithm))
        if mechanism == "ed25519" and isinstance(key, ed25519.Ed25519PrivateKey):
            return key.sign(data)
        return super().sign_raw(data, digest_algorithm)  # rarer mechanisms (PSS): parse per call


class FileKey:
    """A private key parsed from a file, with its certificate, chain and trust anchors."""

    def __init__(self, material: KeyMaterial, location: str = "key file"):
        self._key = material.key
        self.certificate = material.certificate
        self.chain = material.chain
        self.trust_roots = material.trust_roots
        self.key_type = key_type(material.key)
        self.location = location
        self.lock: AbstractContextManager[Any] = nullcontext()  # the parsed key is thread-safe
        self._signer = _ParsedKeySigner(
            material.key,
            translate_pyca_cryptography_cert_to_asn1(material.certificate),
            chain_registry(material.chain),
        )

    def pyhanko_signer(self) -> signers.Signer:
        """Return the pyHanko signer over the parsed key."""
        return self._signer

    def sign_token(self, data: bytes) -> bytes:
        """Return a compact, deterministic raw signature of data (ECDSA as r||s, as in JWS)."""
        key = self._key
        if isinstance(key, ec.EllipticCurvePrivateKey):
            # RFC 6979 nonces make the token, and so the rendered PDF, reproducible for a reprint.
            r, s = decode_dss_signature(
                key.sign(data, ec.ECDSA(hashes.SHA256(), deterministic_signing=True))
            )
            size = (key.curve.key_size + 7) // 8
            return r.to_bytes(size, "big") + s.to_bytes(size, "big")
        if isinstance(key, ed25519.Ed25519PrivateKey):
            return key.sign(data)
        return key.sign(data, PKCS1v15(), hashes.SHA256())


def key_type(key: PrivateKey | ec.EllipticCurvePublicKey | rsa.RSAPublicKey | object) -> str:
    """Name a key's algorithm and size as the admin page shows it (e.g. "EC P-256")."""
    if isinstance(key, ec.EllipticCurvePrivateKey | ec.EllipticCurvePublicKey):
        return {"secp256r1": "EC P-256", "secp384r1": "EC P-384"}.get(
            key.curve.name, f"EC {key.curve.name}"
        )
    if isinstance(key, ed25519.Ed25519PrivateKey | ed25519.Ed25519PublicKey):
        return "Ed25519"
    if isinstance(key, rsa.RSAPrivateKey | rsa.RSAPublicKey):
        return f"RSA-{key.key_size}"
    return type(key).__name__
