"""A compact token, signed with the lab's key, that the QR code carries beside the verification URL.

The QR code reads ``{public_url}/verify/{number}?t={token}``. Opening the URL shows the live status;
the token lets an offline verifier confirm that the lab issued these facts, in the spirit of the
EU Digital COVID Certificate.

What the token holds. The certificate number and revision, holder, model, market, issue and
expiry dates, and the SHA-256 of the certificate's canonical JSON data (the file attached to the
PDF). It cannot hold the SHA-256 of the PDF it is printed inside: that hash depends on the QR
code itself. The data hash binds the token to the attachment instead, and the PDF's signature
binds the attachment to the PDF.

Binary layout (version 1, big-endian), then the lab's raw signature over
``b"LabCert-QR-v1\\0" + payload`` (64 bytes r||s for ECDSA P-256 as in ES256, 64 for Ed25519,
key-size bytes for RSA PKCS#1 v1.5 with SHA-256)::

    0x01 | sha256 (32) | issued_on, valid_until (uint16 days since 1970-01-01) | revision (uint8)
         | number, market, model, holder (each: uint8 length + UTF-8)

Encoding: RFC 4648 base32 without padding, not base45. Base45's alphabet contains space, ``%``,
``+`` and ``/``, which must be percent-encoded inside a URL query, and percent-encoding pushes the
QR code out of its compact alphanumeric mode. Base32's ``A-Z2-7`` is both URL-safe and a subset
of the QR alphanumeric set, for about 7 % more modules than base45. A typical token (EC P-256)
is ~100 payload bytes + 64 signature bytes = ~265 characters; with a short URL the QR code is
version 10-11 at error correction M, ~30 mm wide when printed.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import struct
from collections.abc import Iterable
from typing import Any, Protocol

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

VERSION = 1
DOMAIN = b"LabCert-QR-v1\x00"
EPOCH = dt.date(1970, 1, 1)
FIELDS = (
    "number",
    "revision",
    "holder",
    "model",
    "market",
    "issued_on",
    "valid_until",
    "data_sha256",
)
_TEXT_FIELDS = ("number", "market", "model", "holder")
_FIXED = struct.Struct(">B32sHHB")

PublicKey = ec.EllipticCurvePublicKey | ed25519.Ed25519PublicKey | rsa.RSAPublicKey


class InvalidQrToken(Exception):
    """The QR token is malformed, was edited, or was not issued with the lab's key."""


class TokenSigner(Protocol):
    """Anything that signs token bytes with the lab's key (``LabSigner`` does)."""

    def sign_token(self, data: bytes) -> bytes:
        """Return a raw signature of data."""
        ...


def make_qr_token(signer: TokenSigner, facts: dict[str, Any]) -> str:
    """Encode facts and seal them with the lab's key into a URL- and QR-friendly token."""
    payload = _pack(facts)
    signature = signer.sign_token(DOMAIN + payload)
    return base64.b32encode(payload + signature).decode("ascii").rstrip("=")


def read_qr_token(
    token: str,
    keys: Iterable[x509.Certificate | PublicKey],
    *,
    expected_number: str | None = None,
) -> dict[str, Any]:
    """Return the facts a token carries after checking its seal against the lab's keys."""
    raw = _decode(token)
    facts, payload_size = _unpack(raw)
    payload, signature = raw[:payload_size], raw[payload_size:]
    public_keys = [k.public_key() if isinstance(k, x509.Certificate) else k for k in keys]
    if not any(_verifies(key, signature, DOMAIN + payload) for key in public_keys):
        raise InvalidQrToken(
            "The QR token's seal does not verify with the lab's key: the token was edited,"
            " or it was not issued by this lab."
        )
    if expected_number is not None and facts["number"] != expected_number:
        raise InvalidQrToken(
            f"The QR token belongs to certificate {facts['number']}, not {expected_number}:"
            " the QR code was altered or copied from another certificate."
        )
    return facts


def _pack(facts: dict[str, Any]) -> bytes:
    missing = [name for name in FIELDS if name not in facts]
    if missing:
        raise ValueError(f"QR token facts lack {', '.join(missing)}")
    revision = facts["revision"]
    if not isinstance(revision, int) or not 0 <= revision <= 255:
        raise ValueError(f"revision must be an integer 0-255, not {revision!r}")
    try:
        digest = bytes.fromhex(facts["data_sha256"])
    except (TypeError, ValueError) as exc:
        raise ValueError("data_sha256 must be a hexadecimal SHA-256") from exc
    if len(digest) != hashlib.sha256().digest_size:
        raise ValueError("data_sha256 must be a SHA-256 (64 hex digits)")
    packed = _FIXED.pack(
        VERSION, digest, _days(facts["issued_on"]), _days(facts["valid_until"]), revision
    )
    for name in _TEXT_FIELDS:
        text = str(facts[name]).encode("utf-8")
        if len(text) > 255:
            raise ValueError(f"{name} is longer than 255 bytes")
        packed += bytes([len(text)]) + text
    return packed


def _unpack(raw: bytes) -> tuple[dict[str, Any], int]:
    if not raw or raw[0] != VERSION:
        raise InvalidQrToken("The QR token has an unknown format: it was not issued by LabCert.")
    try:
        _, digest, issued, until, revision = _FIXED.unpack_from(raw)
        offset = _FIXED.size
        texts = {}
        for name in _TEXT_FIELDS:
            size = raw[offset]
            chunk = raw[offset + 1 : offset + 1 + size]
            if len(chunk) != size:
                raise IndexError(name)
            texts[name] = chunk.decode("utf-8")
            offset += 1 + size
        facts = {
            "number": texts["number"],
            "revision": revision,
            "holder": texts["holder"],
            "model": texts["model"],
            "market": texts["market"],
            "issued_on": (EPOCH + dt.timedelta(days=issued)).isoformat(),
            "valid_until": (EPOCH + dt.timedelta(days=until)).isoformat(),
            "data_sha256": digest.hex(),
        }
    except (struct.error, IndexError, UnicodeDecodeError) as exc:
        raise InvalidQrToken("The QR token is truncated or damaged.") from exc
    return facts, offset


def _decode(token: str) -> bytes:
    text = "".join(str(token).split()).upper().rstrip("=")
    try:
        raw = base64.b32decode(text + "=" * (-len(text) % 8))
    except (binascii.Error, ValueError) as exc:
        raise InvalidQrToken(
            "The QR token is not readable: it contains characters it cannot have."
        ) from exc
    if base64.b32encode(raw).decode("ascii").rstrip("=") != text:
        # Unused low bits in the last character were changed: the token was edited.
        raise InvalidQrToken("The QR token is not in its issued form: it was edited.")
    return raw


def _days(value: Any) -> int:
    day = value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])
    if isinstance(day, dt.datetime):
        day = day.date()
    days = (day - EPOCH).days
    if not 0 <= days <= 0xFFFF:
        raise ValueError(f"date {day} is outside the token's range")
    return days


def _verifies(key: PublicKey, signature: bytes, message: bytes) -> bool:
    try:
        if isinstance(key, ec.EllipticCurvePublicKey):
            size = (key.curve.key_size + 7) // 8
            if len(signature) != 2 * size:
                return False
            r, s = int.from_bytes(signature[:size], "big"), int.from_bytes(signature[size:], "big")
            key.verify(encode_dss_signature(r, s), message, ec.ECDSA(hashes.SHA256()))
        elif isinstance(key, ed25519.Ed25519PublicKey):
            key.verify(signature, message)
        elif isinstance(key, rsa.RSAPublicKey):
            key.verify(signature, message, PKCS1v15(), hashes.SHA256())
        else:
            return False
    except InvalidSignature:
        return False
    return True
