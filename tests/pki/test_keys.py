"""Key fingerprints, key records and the public keys.json document."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from cryptography.hazmat.primitives import hashes

from labcert.pki import (
    KeyRecord,
    fingerprint,
    keys_document,
    normalise_fingerprint,
    read_keys_document,
)
from tests.pki.loopback import LoopbackPki

NOW = dt.datetime(2027, 6, 1, tzinfo=dt.UTC)


def test_a_fingerprint_is_the_sha256_of_the_certificate_in_lower_case_hex(
    loopback: LoopbackPki,
) -> None:
    cert = loopback.cert("lab")

    assert fingerprint(cert) == cert.fingerprint(hashes.SHA256()).hex()
    assert len(fingerprint(cert)) == 64


@pytest.mark.parametrize("style", ["colons", "upper", "prefixed", "spaced"])
def test_fingerprints_are_read_as_people_type_them(loopback: LoopbackPki, style: str) -> None:
    canonical = fingerprint(loopback.cert("lab"))
    typed = {
        "colons": bytes.fromhex(canonical).hex(":").upper(),
        "upper": canonical.upper(),
        "prefixed": "sha256:" + canonical,
        "spaced": " ".join(canonical[i : i + 8] for i in range(0, 64, 8)),
    }[style]

    assert normalise_fingerprint(typed) == canonical


@pytest.mark.parametrize("text", ["", "abc", "g" * 64, "a" * 63, "a" * 65])
def test_a_malformed_fingerprint_is_refused_with_the_fix(text: str) -> None:
    with pytest.raises(ValueError, match="not a SHA-256 fingerprint: give the 64 hex digits"):
        normalise_fingerprint(text)


def test_a_key_is_current_then_expired_retired_or_compromised(loopback: LoopbackPki) -> None:
    cert = loopback.cert("lab")
    expired_at = cert.not_valid_after_utc + dt.timedelta(days=1)
    since = loopback.built_at + dt.timedelta(days=10)

    assert KeyRecord(cert).status(loopback.built_at) == "current"
    assert KeyRecord(cert).status(expired_at) == "expired"
    assert KeyRecord(cert, retired_at=since).status(loopback.built_at) == "retired"
    assert KeyRecord(cert, retired_at=since, compromised_since=since).status(
        loopback.built_at) == "compromised"
    record = KeyRecord(cert, compromised_since=since)
    assert not record.compromised_at(since - dt.timedelta(seconds=1))
    assert record.compromised_at(since)
    assert record.compromised_at(None)  # an unproven signing time may be after the compromise
    assert not KeyRecord(cert).compromised_at(None)


def test_keys_json_lists_every_key_and_reads_back(loopback: LoopbackPki) -> None:
    rotated = loopback.built_at + dt.timedelta(days=100)
    records = [
        KeyRecord(loopback.cert("lab"), first_used_at=loopback.built_at, last_used_at=rotated,
                  retired_at=rotated, compromised_since=rotated + dt.timedelta(days=5)),
        KeyRecord(loopback.cert("lab-next"), first_used_at=rotated),
    ]

    document = json.loads(json.dumps(keys_document(records, [loopback.root], NOW,
                                                   [loopback.root])))
    back = read_keys_document(document)

    assert document["format"] == "labcert-keys/1"
    assert [k["status"] for k in document["keys"]] == ["compromised", "current"]
    assert document["keys"][0]["fingerprint"] == records[0].fingerprint
    assert document["keys"][0]["retired_at"] == rotated.isoformat()
    assert document["keys"][1]["retired_at"] is None
    assert document["keys"][1]["not_after"] == loopback.expires("lab-next").isoformat()
    assert back.keys == tuple(records)
    assert back.trust_anchors == (loopback.root,) == back.timestamp_anchors


def test_a_keys_document_with_a_wrong_fingerprint_or_format_is_refused(
    loopback: LoopbackPki,
) -> None:
    document = keys_document([KeyRecord(loopback.cert("lab"))], [loopback.root], NOW)
    document["keys"][0]["fingerprint"] = "0" * 64

    with pytest.raises(ValueError, match=r"keys\[0\]: the fingerprint does not match"):
        read_keys_document(document)
    with pytest.raises(ValueError, match="not a LabCert keys document"):
        read_keys_document({"keys": []})
    with pytest.raises(ValueError, match=r"keys\[0\]: unreadable key entry"):
        read_keys_document({"format": "labcert-keys/1", "keys": [{"certificate": "nope"}]})
