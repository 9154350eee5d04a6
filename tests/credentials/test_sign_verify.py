"""Signing and checking credentials across two independent JOSE libraries.

LabCert assembles the JWS around a raw-sign callable and checks with joserfc; jwcrypto, another
implementation, plays the importer's software. Keys come only from the DID document's JSON.
"""

from __future__ import annotations

import json

import pytest
from jwcrypto import jwk as jwcrypto_jwk
from jwcrypto import jws as jwcrypto_jws

from labcert.credentials import (
    MEDIA_TYPE,
    JwsSigner,
    PublishedKey,
    build_credential,
    build_did_document,
    did_web,
    issue_credential,
    key_id,
    read_unverified,
    signer_for_private_key,
    verify_credential,
)
from labcert.credentials.envelope import serialise
from tests.credentials.conftest import DURING, PUBLIC_URL, Lab, make_facts


def _keys_from_did_document(document: dict) -> dict[str, jwcrypto_jwk.JWK]:
    return {m["id"]: jwcrypto_jwk.JWK(**m["publicKeyJwk"]) for m in document["verificationMethod"]}


@pytest.mark.parametrize(
    ("which", "algorithm"), [("ec_key", "ES256"), ("rsa_key", "RS256"), ("ed_key", "EdDSA")]
)
def test_jwcrypto_verifies_what_labcert_signed_with_the_key_from_the_did_document(
    which, algorithm, request
):
    lab = Lab(signer=signer_for_private_key(request.getfixturevalue(which)), private_key=None)
    token = lab.issue()
    header, _ = read_unverified(token)
    keys = _keys_from_did_document(json.loads(json.dumps(lab.did_document())))

    verified = jwcrypto_jws.JWS()
    verified.deserialize(token)
    verified.verify(keys[header["kid"]], alg=algorithm)

    assert (
        json.loads(verified.payload)["credentialSubject"]["certificateNumber"] == "LC-2026-000123"
    )
    assert header == {
        "alg": algorithm,
        "kid": key_id(lab.did, lab.signer.public_key),
        "typ": "vc+jwt",
        "cty": "vc",
    }
    assert MEDIA_TYPE == "application/vc+jwt"


def test_labcert_verifies_a_credential_that_jwcrypto_signed_with_the_labs_key(lab, ec_key):
    credential = build_credential(make_facts())
    private = jwcrypto_jwk.JWK.from_pyca(ec_key)
    signed = jwcrypto_jws.JWS(serialise(credential))
    signed.add_signature(
        private,
        alg="ES256",
        protected=json.dumps(
            {"alg": "ES256", "kid": key_id(lab.did, ec_key.public_key()), "typ": "vc+jwt"}
        ),
    )
    token = signed.serialize(compact=True)

    answer = verify_credential(token, lab.did_document(), lab.status_lists(), now=DURING)

    assert answer.valid, [c.message for c in answer.checks]


def test_a_key_that_cannot_leave_its_token_signs_through_the_raw_sign_callable(ec_key, lab):
    calls: list[bytes] = []
    in_memory = signer_for_private_key(ec_key)

    def token_sign(data: bytes) -> bytes:  # what a PKCS#11 session does: sign, never export
        calls.append(data)
        return in_memory.sign(data)

    token = issue_credential(make_facts(), JwsSigner(ec_key.public_key(), token_sign)).token

    assert calls == [token.rsplit(".", 1)[0].encode("ascii")]
    assert verify_credential(token, lab.did_document(), lab.status_lists(), now=DURING).valid


def test_es256_signatures_are_deterministic_so_a_reissue_gives_identical_bytes(lab):
    assert lab.issue() == lab.issue()


def test_every_check_passes_for_a_credential_in_force(lab):
    answer = verify_credential(lab.issue(), lab.did_document(), lab.status_lists(), now=DURING)

    assert [(c.name, c.ok) for c in answer.checks] == [
        ("signature", True),
        ("issuer", True),
        ("status", True),
        ("validity", True),
    ]
    assert answer.authentic and answer.valid
    assert answer.number == "LC-2026-000123"
    assert "Lahore Radio Test Laboratory (did:web:lab.example.pk)" in answer.checks[1].message


def test_after_a_key_rotation_credentials_signed_by_the_retired_key_still_verify(lab):
    old = lab.issue()
    lab.rotate()
    new = lab.issue()
    document, lists = lab.did_document(), lab.status_lists()

    assert verify_credential(old, document, lists, now=DURING).valid
    assert verify_credential(new, document, lists, now=DURING).valid
    assert read_unverified(old)[0]["kid"] != read_unverified(new)[0]["kid"]


def test_a_credential_of_a_lab_served_under_a_path_names_that_path_in_its_did():
    from cryptography.hazmat.primitives.asymmetric import ec

    key = ec.generate_private_key(ec.SECP256R1())
    public_url = "https://example.com/labs/lahore"
    lab = Lab(signer=signer_for_private_key(key), private_key=key, public_url=public_url)
    token = lab.issue()
    assert read_unverified(token)[1]["issuer"]["id"] == "did:web:example.com:labs:lahore"
    document = build_did_document(did_web(public_url), [PublishedKey(key.public_key())])
    assert verify_credential(token, document, lab.status_lists(), now=DURING).valid
    assert PUBLIC_URL not in json.dumps(read_unverified(token)[1])
