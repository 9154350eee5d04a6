"""Keys as JWKs with RFC 7638 thumbprints, the lab's did:web and its DID document."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from joserfc.jwk import JWKRegistry
from jwcrypto import jwk as jwcrypto_jwk

from labcert.credentials import PublishedKey, build_did_document, did_document_url, did_web, key_id
from labcert.credentials.did import InvalidDid, assertion_key, assertion_keys
from labcert.credentials.keys import (
    UnsupportedKey,
    ecdsa_der_to_jose,
    jws_algorithm,
    public_jwk,
    thumbprint,
)


@pytest.mark.parametrize("which", ["ec_key", "rsa_key", "ed_key"])
def test_thumbprints_agree_with_two_independent_jose_libraries(which, request):
    key = request.getfixturevalue(which).public_key()
    jwk = public_jwk(key)
    assert thumbprint(jwk) == JWKRegistry.import_key(jwk).thumbprint()
    assert thumbprint(jwk) == jwcrypto_jwk.JWK(**jwk).thumbprint()


@pytest.mark.parametrize(
    ("which", "algorithm", "members"),
    [
        ("ec_key", "ES256", {"kty", "crv", "x", "y"}),
        ("rsa_key", "RS256", {"kty", "n", "e"}),
        ("ed_key", "EdDSA", {"kty", "crv", "x"}),
    ],
)
def test_public_jwks_hold_public_members_only(which, algorithm, members, request):
    key = request.getfixturevalue(which).public_key()
    assert jws_algorithm(key) == algorithm
    assert set(public_jwk(key)) == members


def test_p384_signs_with_es384_and_other_curves_are_refused():
    assert jws_algorithm(ec.generate_private_key(ec.SECP384R1()).public_key()) == "ES384"
    with pytest.raises(UnsupportedKey, match="secp521r1"):
        jws_algorithm(ec.generate_private_key(ec.SECP521R1()).public_key())


def test_a_der_ecdsa_signature_becomes_fixed_width_r_and_s(ec_key):
    from cryptography.hazmat.primitives import hashes

    der = ec_key.sign(b"data", ec.ECDSA(hashes.SHA256()))
    raw = ecdsa_der_to_jose(der, ec_key.public_key())
    assert len(raw) == 64


@pytest.mark.parametrize(
    ("url", "did", "document"),
    [
        (
            "https://lab.example.pk",
            "did:web:lab.example.pk",
            "https://lab.example.pk/.well-known/did.json",
        ),
        (
            "https://Lab.Example.PK/",
            "did:web:lab.example.pk",
            "https://lab.example.pk/.well-known/did.json",
        ),
        (
            "http://127.0.0.1:5000",
            "did:web:127.0.0.1%3A5000",
            "https://127.0.0.1:5000/.well-known/did.json",
        ),
        (
            "https://example.com/labs/lahore",
            "did:web:example.com:labs:lahore",
            "https://example.com/labs/lahore/did.json",
        ),
    ],
)
def test_did_web_names_the_host_port_and_path_as_the_method_specifies(url, did, document):
    assert did_web(url) == did
    assert did_document_url(did) == document


@pytest.mark.parametrize("url", ["ftp://lab.example.pk", "lab.example.pk", "http://[::1]:5000"])
def test_urls_that_cannot_name_a_did_web_are_refused_with_a_reason(url):
    with pytest.raises(InvalidDid):
        did_web(url)
    with pytest.raises(InvalidDid, match="not a did:web"):
        did_document_url("did:key:z6Mk")


def test_the_did_document_lists_current_and_retired_keys_but_never_a_compromised_one():
    current, retired, compromised = (
        ec.generate_private_key(ec.SECP256R1()).public_key() for _ in range(3)
    )
    rsa_retired = rsa.generate_private_key(public_exponent=65537, key_size=2048).public_key()
    did = "did:web:lab.example.pk"
    document = build_did_document(
        did,
        [
            PublishedKey(current),
            PublishedKey(retired, retired_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC)),
            PublishedKey(rsa_retired, retired_at=dt.datetime(2025, 1, 1, tzinfo=dt.UTC)),
            PublishedKey(compromised, compromised_since=dt.datetime(2026, 1, 1, tzinfo=dt.UTC)),
            PublishedKey(current),  # named twice by a key history: listed once
        ],
        also_known_as="https://lab.example.pk",
    )
    listed = [kid for kid, _ in assertion_keys(json.loads(json.dumps(document)))]
    assert listed == [key_id(did, current), key_id(did, retired), key_id(did, rsa_retired)]
    assert document["alsoKnownAs"] == ["https://lab.example.pk"]
    assert all(m["controller"] == did for m in document["verificationMethod"])


def test_a_key_is_trusted_only_if_listed_for_assertions_and_never_as_a_private_jwk(ec_key):
    did = "did:web:lab.example.pk"
    kid = key_id(did, ec_key.public_key())
    jwk = public_jwk(ec_key.public_key())
    method = {
        "id": "#" + kid.split("#")[1],
        "type": "JsonWebKey2020",
        "controller": did,
        "publicKeyJwk": jwk,
    }
    relative = {"id": did, "verificationMethod": [method], "assertionMethod": [method["id"]]}
    assert assertion_key(relative, kid) == jwk
    only_authentication = {"id": did, "verificationMethod": [method], "authentication": [kid]}
    assert assertion_key(only_authentication, kid) is None
    private = dict(method, publicKeyJwk={**jwk, "d": "AAAA"})
    assert assertion_key({"id": did, "assertionMethod": [private]}, kid) is None
    assert assertion_key("not a document", kid) is None
