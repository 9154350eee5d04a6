"""Sign what the lab issues: a certificate's credential and its status list credentials."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from labcert.credentials.dcc import build_credential
from labcert.credentials.did import did_web, key_id
from labcert.credentials.envelope import sign_compact
from labcert.credentials.facts import ConformityFacts
from labcert.credentials.keys import JwsSigner
from labcert.credentials.statuslist import MIN_ENTRIES, status_list_credential


@dataclass(frozen=True)
class SignedCredential:
    """A credential and its compact JWS: the JSON for people, the token for software."""

    credential: dict[str, Any]
    token: str


def issue_credential(facts: ConformityFacts, signer: JwsSigner) -> SignedCredential:
    """Build the certificate's Digital Conformity Credential and sign it with the lab's key."""
    credential = build_credential(facts)
    kid = key_id(did_web(facts.public_url), signer.public_key)
    return SignedCredential(credential, sign_compact(credential, signer, kid))


def issue_status_list(
    *,
    public_url: str,
    list_url: str,
    purpose: str,
    set_indexes: Iterable[int],
    valid_from: dt.datetime,
    signer: JwsSigner,
    size: int = MIN_ENTRIES,
) -> SignedCredential:
    """Build and sign the Bitstring Status List credential for one purpose."""
    did = did_web(public_url)
    credential = status_list_credential(
        list_url=list_url,
        issuer=did,
        purpose=purpose,
        set_indexes=set_indexes,
        valid_from=valid_from,
        size=size,
    )
    return SignedCredential(
        credential, sign_compact(credential, signer, key_id(did, signer.public_key))
    )
