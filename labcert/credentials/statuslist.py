"""W3C Bitstring Status List v1.0: the bitstring, its encoding and the status list credential.

The bitstring has at least 131 072 entries (16 KB) so that one set bit does not single out a
credential; index 0 is the most significant bit of the first byte. ``encodedList`` is the
multibase base64url (prefix ``u``, no padding) of the GZIP-compressed bitstring. GZIP is written
without a timestamp, so the same bits always give the same list (and the same ETag).
"""

from __future__ import annotations

import datetime as dt
import gzip
import zlib
from collections.abc import Iterable
from typing import Any

from labcert.credentials.contexts import CREDENTIALS_V2_URL
from labcert.credentials.facts import STATUS_PURPOSES
from labcert.credentials.keys import b64url, b64url_decode
from labcert.credentials.times import timestamp

MIN_ENTRIES = 131_072  # 16 KB, the specification's minimum
MAX_BYTES = 4 * 1024 * 1024  # 32 Mi entries: beyond any lab's volume; bounds a hostile list
MULTIBASE_BASE64URL = "u"


class InvalidStatusList(ValueError):
    """An encoded list that is not a GZIP-compressed bitstring in multibase base64url."""


def encode_bitstring(set_indexes: Iterable[int], size: int = MIN_ENTRIES) -> str:
    """Return the encodedList of a bitstring of size entries with set_indexes set to 1."""
    if size < MIN_ENTRIES or size % 8:
        raise ValueError(f"a status list has at least {MIN_ENTRIES} entries, a multiple of 8")
    bits = bytearray(size // 8)
    for index in set_indexes:
        if not 0 <= index < size:
            raise ValueError(f"status index {index} is outside a list of {size} entries")
        bits[index // 8] |= 0x80 >> (index % 8)
    return MULTIBASE_BASE64URL + b64url(gzip.compress(bytes(bits), mtime=0))


def decode_bitstring(encoded: str) -> bytes:
    """Return the bitstring an encodedList holds, refusing damaged or oversized lists."""
    if not isinstance(encoded, str) or not encoded.startswith(MULTIBASE_BASE64URL):
        raise InvalidStatusList("encodedList is not multibase base64url (it must start with 'u')")
    try:
        compressed = b64url_decode(encoded[1:])
    except ValueError as exc:
        raise InvalidStatusList("encodedList is not valid base64url") from exc
    inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)  # GZIP framing
    try:
        bits = inflater.decompress(compressed, MAX_BYTES + 1)
    except zlib.error as exc:
        raise InvalidStatusList("encodedList is not GZIP-compressed") from exc
    if len(bits) > MAX_BYTES or inflater.unconsumed_tail:
        raise InvalidStatusList("the status list is larger than LabCert reads")
    if not inflater.eof:
        raise InvalidStatusList("encodedList is truncated")
    if len(bits) * 8 < MIN_ENTRIES:
        raise InvalidStatusList(f"the status list has fewer than {MIN_ENTRIES} entries")
    return bits


def bit_is_set(bits: bytes, index: int) -> bool:
    """Tell whether entry index of a decoded bitstring is 1."""
    if not 0 <= index < len(bits) * 8:
        raise IndexError(f"status index {index} is outside a list of {len(bits) * 8} entries")
    return bool(bits[index // 8] & (0x80 >> (index % 8)))


def status_entry(list_url: str, purpose: str, index: int) -> dict[str, Any]:
    """Return a credential's BitstringStatusListEntry for one purpose."""
    return {
        "id": f"{list_url}#{index}",
        "type": "BitstringStatusListEntry",
        "statusPurpose": purpose,
        "statusListIndex": str(index),
        "statusListCredential": list_url,
    }


def status_list_credential(
    *,
    list_url: str,
    issuer: str,
    purpose: str,
    set_indexes: Iterable[int],
    valid_from: dt.datetime,
    size: int = MIN_ENTRIES,
) -> dict[str, Any]:
    """Return the unsigned BitstringStatusListCredential publishing set_indexes for purpose."""
    if purpose not in STATUS_PURPOSES:
        raise ValueError(f"status purpose must be one of {STATUS_PURPOSES}, not {purpose!r}")
    return {
        "@context": [CREDENTIALS_V2_URL],
        "id": list_url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer,
        "validFrom": timestamp(valid_from),
        "credentialSubject": {
            "id": f"{list_url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": purpose,
            "encodedList": encode_bitstring(set_indexes, size),
        },
    }
