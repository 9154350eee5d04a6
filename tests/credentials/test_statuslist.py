"""Bitstring Status List: 16 KB minimum, MSB-first bits, GZIP + multibase base64url."""

from __future__ import annotations

import gzip

import pytest

from labcert.credentials import MIN_ENTRIES, bit_is_set, decode_bitstring
from labcert.credentials.keys import b64url
from labcert.credentials.statuslist import (
    MAX_BYTES,
    InvalidStatusList,
    encode_bitstring,
    status_list_credential,
)
from tests.credentials.conftest import DURING, list_url

# The empty 16 KB list of the W3C Bitstring Status List specification's example credential.
SPEC_EMPTY_LIST = "uH4sIAAAAAAAAA-3BMQEAAADCoPVPbQwfoAAAAAAAAAAAAAAAAAAAAIC3AYbSVKsAQAAA"


def test_the_specifications_example_list_decodes_to_131072_clear_bits():
    bits = decode_bitstring(SPEC_EMPTY_LIST)
    assert len(bits) * 8 == MIN_ENTRIES == 131_072
    assert not any(bits)


def test_set_bits_come_back_and_index_zero_is_the_first_bytes_top_bit():
    bits = decode_bitstring(encode_bitstring([0, 9, 131_071]))
    assert bits[0] == 0x80 and bits[1] == 0x40 and bits[-1] == 0x01
    assert [i for i in range(MIN_ENTRIES) if bit_is_set(bits, i)] == [0, 9, 131_071]


def test_the_same_bits_always_encode_to_the_same_text():
    assert encode_bitstring([5, 7]) == encode_bitstring([7, 5])


def test_lists_smaller_than_the_minimum_or_indexes_outside_them_are_refused():
    with pytest.raises(ValueError, match="at least 131072"):
        encode_bitstring([], size=1024)
    with pytest.raises(ValueError, match="outside"):
        encode_bitstring([MIN_ENTRIES])
    with pytest.raises(IndexError):
        bit_is_set(bytes(16384), MIN_ENTRIES)


@pytest.mark.parametrize(
    ("encoded", "reason"),
    [
        ("zH4sI", "multibase base64url"),
        ("u!!!", "base64url"),
        ("u" + b64url(b"plain bytes, not gzip"), "GZIP"),
        ("u" + b64url(gzip.compress(bytes(16384), mtime=0)[:40]), "truncated"),
        ("u" + b64url(gzip.compress(bytes(1024), mtime=0)), "fewer than"),
        (None, "multibase"),
    ],
)
def test_damaged_lists_are_refused_with_a_reason(encoded, reason):
    with pytest.raises(InvalidStatusList, match=reason):
        decode_bitstring(encoded)


def test_a_compression_bomb_is_refused_without_being_inflated():
    bomb = "u" + b64url(gzip.compress(bytes(MAX_BYTES * 4), mtime=0))
    assert len(bomb) < 100_000  # 16 MiB of zeros travel in a few dozen KB
    with pytest.raises(InvalidStatusList, match="larger than"):
        decode_bitstring(bomb)


def test_the_status_list_credential_names_its_purpose_and_issuer():
    credential = status_list_credential(
        list_url=list_url("revocation"),
        issuer="did:web:lab.example.pk",
        purpose="revocation",
        set_indexes=[3],
        valid_from=DURING,
    )
    assert credential["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    assert credential["credentialSubject"]["statusPurpose"] == "revocation"
    assert credential["credentialSubject"]["type"] == "BitstringStatusList"
    assert bit_is_set(decode_bitstring(credential["credentialSubject"]["encodedList"]), 3)
    with pytest.raises(ValueError, match="status purpose"):
        status_list_credential(
            list_url="x", issuer="did:web:x", purpose="expiry", set_indexes=[], valid_from=DURING
        )
