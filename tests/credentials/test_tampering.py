"""Each way a credential can be wrong is told apart, with its own message."""

from __future__ import annotations

import base64
import datetime as dt
import json

import pytest

from labcert.credentials import build_credential, issue_credential, verify_credential
from labcert.credentials.envelope import serialise
from labcert.credentials.keys import b64url
from tests.credentials.conftest import DURING, INDEX, make_facts


def _messages(answer) -> dict[str, tuple[bool, str]]:
    return {c.name: (c.ok, c.message) for c in answer.checks}


def _edit_payload(token: str, edit) -> str:
    header, payload, signature = token.split(".")
    credential = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    edit(credential)
    return ".".join([header, b64url(serialise(credential)), signature])


def test_a_changed_payload_byte_breaks_the_signature(lab):
    token = lab.issue()
    header, payload, signature = token.split(".")
    raw = bytearray(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    at = raw.index(b"2409BRN2CG")
    raw[at] = ord("3")  # one byte of the model name
    tampered = ".".join([header, b64url(bytes(raw)), signature])

    checks = _messages(
        verify_credential(tampered, lab.did_document(), lab.status_lists(), now=DURING)
    )

    assert checks["signature"] == (
        False,
        "The signature does not match the content: the credential was changed after it was signed.",
    )
    assert checks["issuer"][0] is False and "signature is broken" in checks["issuer"][1]
    assert checks["status"][0] is False and checks["status"][1].startswith("Not checked")


def test_a_credential_signed_by_a_strangers_key_is_not_the_labs(lab, stranger):
    forged = issue_credential(make_facts(), stranger).token

    checks = _messages(
        verify_credential(forged, lab.did_document(), lab.status_lists(), now=DURING)
    )

    assert checks["issuer"][0] is False
    assert checks["issuer"][1].startswith(
        "Not issued by the lab: the credential was signed with a key that is not one of the lab's"
        " keys"
    )
    assert "does not list" in checks["signature"][1]


def test_a_stranger_who_copies_the_labs_key_id_is_caught_by_the_signature(lab, stranger):
    from labcert.credentials.envelope import sign_compact

    genuine_kid = json.loads(base64.urlsafe_b64decode(lab.issue().split(".")[0] + "=="))["kid"]
    forged = sign_compact(build_credential(make_facts()), stranger, genuine_kid)

    checks = _messages(
        verify_credential(forged, lab.did_document(), lab.status_lists(), now=DURING)
    )

    assert (
        checks["signature"][0] is False and "changed after it was signed" in checks["signature"][1]
    )


def test_a_withdrawn_certificates_credential_is_revoked(lab):
    lab.set_bits["revocation"].append(INDEX)
    checks = _messages(
        verify_credential(lab.issue(), lab.did_document(), lab.status_lists(), now=DURING)
    )
    assert checks["signature"][0] and checks["issuer"][0]
    assert checks["status"] == (
        False,
        f"Revoked: the lab's revocation list marks this credential (entry {INDEX}): the"
        " certificate was withdrawn and will not return.",
    )


def test_suspension_sets_a_bit_and_reinstatement_clears_it(lab):
    token = lab.issue()
    lab.set_bits["suspension"].append(INDEX)
    suspended = _messages(
        verify_credential(token, lab.did_document(), lab.status_lists(), now=DURING)
    )
    lab.set_bits["suspension"].clear()
    reinstated = _messages(
        verify_credential(token, lab.did_document(), lab.status_lists(), now=DURING)
    )

    assert suspended["status"][0] is False and suspended["status"][1].startswith("Suspended:")
    assert reinstated["status"] == (
        True,
        "In force: the lab's signed status lists (revocation and suspension) leave this"
        " credential's bits clear.",
    )


def test_a_neighbours_bit_does_not_touch_this_credential(lab):
    lab.set_bits["revocation"] += [INDEX - 1, INDEX + 1]
    answer = verify_credential(lab.issue(), lab.did_document(), lab.status_lists(), now=DURING)
    assert answer.valid


def test_a_status_list_signed_by_a_stranger_is_not_relied_on(lab, stranger):
    checks = _messages(
        verify_credential(lab.issue(), lab.did_document(), lab.status_lists(stranger), now=DURING)
    )
    assert checks["status"][0] is False
    assert "status list" in checks["status"][1] and "is not the lab's" in checks["status"][1]


def test_a_status_list_for_the_other_purpose_is_not_accepted(lab):
    lists = lab.status_lists()
    suspension, revocation = sorted(lists)[1], sorted(lists)[0]
    swapped = {suspension: lists[revocation], revocation: lists[suspension]}
    checks = _messages(verify_credential(lab.issue(), lab.did_document(), swapped, now=DURING))
    assert checks["status"][0] is False
    assert "is not the status list the credential points at" in checks["status"][1]


def test_a_missing_status_list_is_said_to_be_missing(lab):
    checks = _messages(verify_credential(lab.issue(), lab.did_document(), {}, now=DURING))
    assert checks["status"][0] is False and "was not available" in checks["status"][1]


def test_expired_and_not_yet_valid_credentials_fail_only_the_validity_check(lab):
    token = lab.issue()
    late = verify_credential(
        token, lab.did_document(), lab.status_lists(), now=dt.datetime(2029, 3, 3, tzinfo=dt.UTC)
    )
    early = verify_credential(
        token, lab.did_document(), lab.status_lists(), now=dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    )
    last_day = verify_credential(
        token,
        lab.did_document(),
        lab.status_lists(),
        now=dt.datetime(2029, 3, 2, 23, 0, tzinfo=dt.UTC),
    )

    assert _messages(late)["validity"] == (
        False,
        "Expired: the certificate's validity period ended on 2029-03-02.",
    )
    assert _messages(early)["validity"][1].startswith("Not yet valid")
    assert late.authentic and early.authentic and last_day.valid


def test_an_edited_validity_date_is_caught_by_the_signature(lab):
    def extend(credential):
        credential["validUntil"] = "2039-03-02T23:59:59Z"

    answer = verify_credential(
        _edit_payload(lab.issue(), extend), lab.did_document(), lab.status_lists(), now=DURING
    )
    assert not answer.authentic


def test_a_credential_naming_another_issuer_than_its_key_is_refused(lab):
    credential = build_credential(make_facts())
    credential["issuer"]["id"] = "did:web:other-lab.example"
    from labcert.credentials.did import key_id
    from labcert.credentials.envelope import sign_compact

    token = sign_compact(credential, lab.signer, key_id(lab.did, lab.signer.public_key))
    checks = _messages(verify_credential(token, lab.did_document(), lab.status_lists(), now=DURING))
    assert checks["signature"][0] is True
    assert (
        checks["issuer"][0] is False
        and "does not come from the lab it names" in checks["issuer"][1]
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"@context": []}', "This is JSON, not a signed credential"),
        ("hello", "This is not a signed credential"),
        ("a.b.c", "The credential is damaged"),
        ("", "This is not a signed credential"),
        ("x" * 300_000, "larger than"),
    ],
)
def test_text_that_is_not_a_credential_gets_a_plain_answer(lab, text, message):
    answer = verify_credential(text, lab.did_document(), lab.status_lists(), now=DURING)
    assert not answer.authentic
    assert answer.checks[0].message.startswith(message) or message in answer.checks[0].message
    assert all(c.message.startswith("Cannot be checked") for c in answer.checks[1:])


def test_unsigned_and_symmetric_algorithms_are_refused(lab):
    for alg in ("none", "HS256"):
        header = b64url(json.dumps({"alg": alg, "kid": "x", "typ": "vc+jwt"}).encode())
        payload = b64url(serialise(build_credential(make_facts())))
        checks = _messages(
            verify_credential(
                f"{header}.{payload}.", lab.did_document(), lab.status_lists(), now=DURING
            )
        )
        assert checks["signature"] == (
            False,
            f"The credential uses signature algorithm {alg!r}, which LabCert does not accept.",
        )


def test_a_jws_of_another_type_is_not_taken_for_a_credential(lab):
    header = b64url(json.dumps({"alg": "ES256", "kid": "x", "typ": "JWT"}).encode())
    token = f"{header}.{b64url(b'{}')}.AAAA"
    answer = verify_credential(token, lab.did_document(), lab.status_lists(), now=DURING)
    assert "not a verifiable credential" in answer.checks[0].message
