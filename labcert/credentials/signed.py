"""A signed JSON document (credential or status list) checked against the lab's DID document."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from labcert.credentials.did import assertion_key
from labcert.credentials.envelope import MalformedCredential, read_unverified, verify_compact
from labcert.credentials.keys import ACCEPTED_ALGORITHMS

SIGNATURE, ISSUER, STATUS, VALIDITY = "signature", "issuer", "status", "validity"
ACCEPTED_TYPS = ("vc+jwt", "vc+ld+jwt")  # the second is the name earlier drafts used


@dataclass(frozen=True)
class Check:
    """One answered question about a credential: its name, whether it passed, and why."""

    name: str
    ok: bool
    message: str


@dataclass(frozen=True)
class SignedDocument:
    """A compact JWS checked against a DID document: whether it verifies, and what it says."""

    header: dict[str, Any]
    payload: dict[str, Any]
    signature: Check
    issuer: Check

    @property
    def trusted(self) -> bool:
        """Tell whether the document is intact and signed with one of the lab's keys."""
        return self.signature.ok and self.issuer.ok


def check_signed(
    token: str, did_document: dict[str, Any], what: str = "credential"
) -> SignedDocument:
    """Check a compact JWS's signature and that its key is in did_document; raise if malformed."""
    header, payload = read_unverified(token)
    did = did_document.get("id") if isinstance(did_document, dict) else None
    alg, kid = header.get("alg"), header.get("kid")
    if header.get("typ") not in ACCEPTED_TYPS:
        raise MalformedCredential(
            f"The {what} is a JWS of type {header.get('typ')!r}, not a verifiable credential"
            " (typ vc+jwt)."
        )
    if alg not in ACCEPTED_ALGORITHMS:
        unusable = f"The {what} uses signature algorithm {alg!r}, which LabCert does not accept."
        return SignedDocument(
            header,
            payload,
            Check(SIGNATURE, False, unusable),
            Check(ISSUER, False, "Cannot be confirmed: " + unusable[0].lower() + unusable[1:]),
        )
    jwk = assertion_key(did_document, kid)
    if jwk is None:
        return SignedDocument(
            header,
            payload,
            Check(
                SIGNATURE,
                False,
                f"Cannot be checked with the lab's keys: the {what} names key {kid!r}, which the"
                " lab's DID document does not list.",
            ),
            Check(
                ISSUER,
                False,
                f"Not issued by the lab: the {what} was signed with a key that is not one of the"
                f" lab's keys ({kid!r} is not in the DID document of {did}).",
            ),
        )
    if not verify_compact(token, jwk, alg):
        return SignedDocument(
            header,
            payload,
            Check(
                SIGNATURE,
                False,
                f"The signature does not match the content: the {what} was changed after it was"
                " signed.",
            ),
            Check(
                ISSUER,
                False,
                f"The issuer cannot be confirmed: the signature is broken (it names the lab's key"
                f" {kid}).",
            ),
        )
    signature = Check(SIGNATURE, True, f"The signature is valid ({alg}, key {kid}).")
    return SignedDocument(header, payload, signature, _issuer_check(payload, did, kid, what))


def _issuer_check(payload: dict[str, Any], did: str | None, kid: str, what: str) -> Check:
    issuer = payload.get("issuer")
    issuer_id = issuer.get("id") if isinstance(issuer, dict) else issuer
    name = issuer.get("name") if isinstance(issuer, dict) else None
    if issuer_id != did or not kid.startswith(f"{did}#"):
        return Check(
            ISSUER,
            False,
            f"The {what} names {issuer_id!r} as its issuer, but it was signed with a key of"
            f" {did}: it does not come from the lab it names.",
        )
    who = f"{name} ({did})" if isinstance(name, str) and name else did
    return Check(ISSUER, True, f"Issued by {who} with a key listed in its DID document.")
