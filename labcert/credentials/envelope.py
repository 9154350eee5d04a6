"""The credential's enveloping proof: a compact JWS with ``typ: vc+jwt`` (W3C VC-JOSE-COSE, 3.1.1).

The payload is the credential itself, serialised once; the stored token is what every download
returns, byte for byte. Signing assembles the compact serialisation (RFC 7515 7.1) around the
raw-sign callable so that keys in a token can sign; checking uses joserfc, an independent JOSE
implementation, against a public JWK from the lab's DID document.
"""

from __future__ import annotations

import json
from typing import Any

from joserfc import jws
from joserfc.errors import JoseError
from joserfc.jwk import JWKRegistry

from labcert.credentials.keys import ACCEPTED_ALGORITHMS, JwsSigner, b64url, b64url_decode

MEDIA_TYPE = "application/vc+jwt"
TYP = "vc+jwt"
CTY = "vc"
MAX_TOKEN = 256 * 1024  # a certificate credential is a few KB; a status list under 100 KB


class MalformedCredential(ValueError):
    """Text that is not a compact JWS carrying a JSON credential; the message says what it is."""


def serialise(payload: dict[str, Any]) -> bytes:
    """Return the payload bytes that are signed: compact UTF-8 JSON, keys in their given order."""
    return json.dumps(payload, separators=(",", ":"), ensure_ascii=False, allow_nan=False).encode(
        "utf-8"
    )


def sign_compact(payload: dict[str, Any], signer: JwsSigner, kid: str) -> str:
    """Return payload as a compact JWS signed by signer, naming kid in its protected header."""
    header = {"alg": signer.algorithm, "kid": kid, "typ": TYP, "cty": CTY}
    signing_input = f"{b64url(serialise(header))}.{b64url(serialise(payload))}"
    signature = signer.sign(signing_input.encode("ascii"))
    return f"{signing_input}.{b64url(signature)}"


def read_unverified(token: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """Return the protected header and payload of a compact JWS without checking its signature."""
    text = token.strip() if isinstance(token, str) else ""
    if len(text) > MAX_TOKEN:
        raise MalformedCredential(f"The credential is larger than {MAX_TOKEN // 1024} KB.")
    if text.startswith("{"):
        raise MalformedCredential(
            "This is JSON, not a signed credential: the decoded .json form carries no signature."
            " Check the application/vc+jwt form (three base64url parts separated by dots)."
        )
    parts = text.split(".")
    if len(parts) != 3 or not all(parts[:2]):
        raise MalformedCredential(
            "This is not a signed credential: a vc+jwt has three base64url parts separated by dots."
        )
    try:
        header = json.loads(b64url_decode(parts[0]))
        payload = json.loads(b64url_decode(parts[1]))
        b64url_decode(parts[2])
    except (ValueError, UnicodeDecodeError) as exc:
        raise MalformedCredential(
            "The credential is damaged: one of its parts is not base64url-encoded JSON."
        ) from exc
    if not isinstance(header, dict) or not isinstance(payload, dict):
        raise MalformedCredential("The credential's header or payload is not a JSON object.")
    return header, payload


def verify_compact(token: str, jwk: dict[str, Any], algorithm: str) -> bool:
    """Tell whether token's signature verifies with the public JWK under algorithm."""
    if algorithm not in ACCEPTED_ALGORITHMS:
        return False
    try:
        key = JWKRegistry.import_key(dict(jwk))
        jws.deserialize_compact(token.strip(), key, algorithms=[algorithm])
    except (JoseError, ValueError, TypeError):
        return False
    return True
