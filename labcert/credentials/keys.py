"""The lab's keys as JOSE sees them: public JWKs, RFC 7638 thumbprints, algorithms, raw signers.

Signing goes through a raw-sign callable (signing input in, JWS signature value out) so that a
key which cannot leave its token (PKCS#11) signs credentials the same way a key file does; the
credential code never holds a private key.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

PublicKey = ec.EllipticCurvePublicKey | rsa.RSAPublicKey | ed25519.Ed25519PublicKey
PrivateKey = ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey | ed25519.Ed25519PrivateKey
RawSign = Callable[[bytes], bytes]

# JWS algorithm per key: ECDSA hashes with the curve's own size (RFC 7518 3.4).
_EC_ALGORITHMS = {"secp256r1": ("ES256", "P-256"), "secp384r1": ("ES384", "P-384")}
_EC_HASHES = {"ES256": hashes.SHA256, "ES384": hashes.SHA384}
ACCEPTED_ALGORITHMS = ("ES256", "ES384", "RS256", "EdDSA")


class UnsupportedKey(ValueError):
    """A key type that LabCert does not sign credentials with."""


def b64url(data: bytes) -> str:
    """Encode bytes as unpadded base64url (RFC 7515 2)."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    """Decode unpadded base64url, refusing characters outside its alphabet."""
    if not isinstance(text, str) or any(c not in _B64URL for c in text):
        raise ValueError("not base64url")
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


_B64URL = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


def jws_algorithm(key: PublicKey) -> str:
    """Return the JWS algorithm LabCert uses with key."""
    if isinstance(key, ec.EllipticCurvePublicKey):
        if key.curve.name not in _EC_ALGORITHMS:
            raise UnsupportedKey(f"EC curve {key.curve.name} is not supported; use P-256")
        return _EC_ALGORITHMS[key.curve.name][0]
    if isinstance(key, rsa.RSAPublicKey):
        return "RS256"
    if isinstance(key, ed25519.Ed25519PublicKey):
        return "EdDSA"
    raise UnsupportedKey(f"{type(key).__name__} keys are not supported; use EC P-256")


def public_jwk(key: PublicKey) -> dict[str, str]:
    """Return the public JWK of key (RFC 7517/7518/8037 members only, never private ones)."""
    jws_algorithm(key)  # refuses unsupported keys with a clear message
    if isinstance(key, ec.EllipticCurvePublicKey):
        numbers = key.public_numbers()
        size = (key.curve.key_size + 7) // 8
        return {
            "kty": "EC",
            "crv": _EC_ALGORITHMS[key.curve.name][1],
            "x": b64url(numbers.x.to_bytes(size, "big")),
            "y": b64url(numbers.y.to_bytes(size, "big")),
        }
    if isinstance(key, rsa.RSAPublicKey):
        numbers = key.public_numbers()
        return {
            "kty": "RSA",
            "n": b64url(_int_bytes(numbers.n)),
            "e": b64url(_int_bytes(numbers.e)),
        }
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return {"kty": "OKP", "crv": "Ed25519", "x": b64url(raw)}


def thumbprint(jwk: dict[str, Any]) -> str:
    """Return the RFC 7638 SHA-256 thumbprint of a public JWK, base64url-encoded."""
    required = {
        "EC": ("crv", "kty", "x", "y"),
        "RSA": ("e", "kty", "n"),
        "OKP": ("crv", "kty", "x"),
    }
    members = required.get(str(jwk.get("kty")))
    if members is None or any(not isinstance(jwk.get(m), str) for m in members):
        raise UnsupportedKey("the JWK lacks the members its key type needs")
    text = json.dumps({m: jwk[m] for m in members}, separators=(",", ":"), sort_keys=True)
    return b64url(hashlib.sha256(text.encode("utf-8")).digest())


def key_thumbprint(key: PublicKey) -> str:
    """Return the RFC 7638 thumbprint of a public key: the fragment of its DID URL."""
    return thumbprint(public_jwk(key))


@dataclass(frozen=True)
class JwsSigner:
    """A signing key as the credential code needs it: its public key and a raw-sign callable.

    ``sign`` receives the JWS signing input and returns the JWS signature value for
    ``jws_algorithm(public_key)``: r||s for ECDSA, PKCS#1 v1.5 for RSA, 64 bytes for Ed25519.
    """

    public_key: PublicKey
    sign: RawSign

    @property
    def algorithm(self) -> str:
        """Return the JWS algorithm of this signer."""
        return jws_algorithm(self.public_key)

    @property
    def thumbprint(self) -> str:
        """Return the RFC 7638 thumbprint of the public key."""
        return key_thumbprint(self.public_key)


def signer_for_private_key(key: PrivateKey) -> JwsSigner:
    """Return a JwsSigner over a private key held in memory (key file or PKCS#12)."""
    public = key.public_key()
    algorithm = jws_algorithm(public)
    if isinstance(key, ec.EllipticCurvePrivateKey):
        digest = _EC_HASHES[algorithm]

        def sign(data: bytes) -> bytes:
            # RFC 6979 nonces: the same credential signed twice gives the same bytes.
            der = key.sign(data, ec.ECDSA(digest(), deterministic_signing=True))
            return ecdsa_der_to_jose(der, public)

        return JwsSigner(public, sign)
    if isinstance(key, rsa.RSAPrivateKey):
        return JwsSigner(public, lambda data: key.sign(data, PKCS1v15(), hashes.SHA256()))
    return JwsSigner(public, key.sign)


def ecdsa_der_to_jose(signature: bytes, key: ec.EllipticCurvePublicKey) -> bytes:
    """Turn a DER ECDSA signature (what PKCS#11 wrappers and X.509 tools give) into r||s."""
    r, s = decode_dss_signature(signature)
    size = (key.curve.key_size + 7) // 8
    return r.to_bytes(size, "big") + s.to_bytes(size, "big")


def _int_bytes(value: int) -> bytes:
    return value.to_bytes(max(1, (value.bit_length() + 7) // 8), "big")
