"""Helpers for the credential tests: read tokens, flip bits, sign with a stranger's key."""

from __future__ import annotations

import base64
import io
import json
from typing import Any

from cryptography.hazmat.primitives.asymmetric import ec
from pyhanko.pdf_utils.reader import PdfFileReader

from labcert.credentials import (
    bit_is_set,
    decode_bitstring,
    key_id,
    read_unverified,
    signer_for_private_key,
)
from labcert.credentials.envelope import sign_compact
from labcert.credentials.keys import b64url


def payload(token: str) -> dict[str, Any]:
    """Return a vc+jwt's payload without checking it."""
    return read_unverified(token)[1]


def bit(client: Any, purpose: str, index: int, number: int = 1) -> bool:
    """Return a certificate's bit in the lab's published list (read as any verifier would)."""
    token = client.get(f"/api/v1/status-lists/{purpose}-{number}").get_data(as_text=True)
    return bit_is_set(decode_bitstring(payload(token)["credentialSubject"]["encodedList"]), index)


def index_of(token: str) -> int:
    """Return the status index a credential states."""
    return int(payload(token)["credentialStatus"][0]["statusListIndex"])


def with_changed_byte(token: str, old: bytes, new: bytes) -> str:
    """Return the token with one run of payload bytes replaced, signature kept."""
    header, body, signature = token.split(".")
    raw = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    assert old in raw
    return ".".join([header, b64url(raw.replace(old, new, 1)), signature])


def signed_by_stranger(token: str) -> str:
    """Return the same credential signed by a key that is not the lab's (its own kid)."""
    stranger = signer_for_private_key(ec.generate_private_key(ec.SECP256R1()))
    credential = payload(token)
    did = credential["issuer"]["id"]
    return sign_compact(credential, stranger, key_id(did, stranger.public_key))


def embedded_files(pdf: bytes) -> dict[str, tuple[str, bytes]]:
    """Return the PDF's embedded files: name -> (MIME subtype, bytes)."""
    reader = PdfFileReader(io.BytesIO(pdf), strict=False)
    names = reader.root["/Names"]["/EmbeddedFiles"]["/Names"]
    files = {}
    for i in range(0, len(names), 2):
        stream = names[i + 1]["/EF"]["/F"]
        files[str(names[i])] = (str(stream.get("/Subtype")), stream.data)
    return files


def as_json(token: str) -> str:
    """Return the decoded JSON of a credential (what someone might paste by mistake)."""
    return json.dumps(payload(token))
