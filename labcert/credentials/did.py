"""The lab's decentralised identifier (did:web) and its DID document with every signing key.

``did:web`` names the lab by the host of its public URL: the port's colon is percent-encoded and
a path becomes colon-separated segments (did:web method, section 3.1). A DID without a path is
resolved at ``https://<host>/.well-known/did.json``, one with a path at ``https://<host>/<path>/did.json``.
The document lists current and retired keys alike, so that credentials signed before a key
rotation keep verifying; a compromised key is left out so that nothing it signed verifies.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, unquote, urlsplit

from labcert.credentials.keys import PublicKey, key_thumbprint, public_jwk

DID_CONTEXTS = ("https://www.w3.org/ns/did/v1", "https://w3id.org/security/suites/jws-2020/v1")
VERIFICATION_METHOD_TYPE = "JsonWebKey2020"


class InvalidDid(ValueError):
    """A public URL that cannot name a did:web, or a DID that is not a did:web."""


@dataclass(frozen=True)
class PublishedKey:
    """A signing key the lab publishes: current, or retired (still verifying what it signed)."""

    public_key: PublicKey
    retired_at: dt.datetime | None = None
    compromised_since: dt.datetime | None = None


def did_web(public_url: str) -> str:
    """Return the did:web that names the lab at public_url."""
    parts = urlsplit(public_url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InvalidDid(f"{public_url!r} is not an http(s) URL with a host name")
    host = parts.hostname.lower()
    if ":" in host:
        raise InvalidDid(f"{public_url!r}: did:web cannot name an IPv6 address; use a host name")
    if parts.port:
        host += quote(f":{parts.port}", safe="")
    segments = [quote(unquote(s), safe="") for s in parts.path.split("/") if s]
    return ":".join(["did", "web", host, *segments])


def did_document_url(did: str) -> str:
    """Return the HTTPS URL where a did:web's document is published."""
    if not did.startswith("did:web:") or len(did) == len("did:web:"):
        raise InvalidDid(f"{did!r} is not a did:web")
    host, *segments = did[len("did:web:") :].split(":")
    path = "/".join(unquote(s) for s in segments) if segments else ".well-known"
    return f"https://{unquote(host)}/{path}/did.json"


def key_id(did: str, key: PublicKey) -> str:
    """Return the DID URL of key: the DID with the key's RFC 7638 thumbprint as fragment."""
    return f"{did}#{key_thumbprint(key)}"


def build_did_document(
    did: str, keys: Iterable[PublishedKey], *, also_known_as: str | None = None
) -> dict[str, Any]:
    """Return the DID document listing every key that may have signed a valid credential."""
    methods = []
    for published in keys:
        if published.compromised_since is not None:
            continue  # nothing a compromised key signed can be told apart from a forgery
        kid = key_id(did, published.public_key)
        if any(m["id"] == kid for m in methods):
            continue
        methods.append(
            {
                "id": kid,
                "type": VERIFICATION_METHOD_TYPE,
                "controller": did,
                "publicKeyJwk": public_jwk(published.public_key),
            }
        )
    document: dict[str, Any] = {"@context": list(DID_CONTEXTS), "id": did}
    if also_known_as:
        document["alsoKnownAs"] = [also_known_as]
    document["verificationMethod"] = methods
    document["assertionMethod"] = [m["id"] for m in methods]
    return document


def assertion_key(document: dict[str, Any], kid: str) -> dict[str, Any] | None:
    """Return the public JWK that kid names if the document lists it for assertions, else None."""
    if not isinstance(document, dict) or not isinstance(kid, str):
        return None
    did = document.get("id")
    methods = {
        _absolute(did, m.get("id")): m
        for m in document.get("verificationMethod") or []
        if isinstance(m, dict)
    }
    for entry in document.get("assertionMethod") or []:
        if isinstance(entry, dict):  # an embedded verification method
            method = entry
        elif isinstance(entry, str):
            method = methods.get(_absolute(did, entry))
        else:
            continue
        if method is None or _absolute(did, method.get("id")) != kid:
            continue
        jwk = method.get("publicKeyJwk")
        if isinstance(jwk, dict) and "d" not in jwk:  # a private JWK is never trusted
            return jwk
    return None


def assertion_keys(document: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """Return (kid, JWK) for every key the document lists for assertions."""
    if not isinstance(document, dict):
        return []
    did = document.get("id")
    found = []
    for entry in document.get("assertionMethod") or []:
        kid = _absolute(did, entry.get("id") if isinstance(entry, dict) else entry)
        jwk = assertion_key(document, kid) if kid else None
        if jwk is not None:
            found.append((kid, jwk))
    return found


def _absolute(did: Any, reference: Any) -> str | None:
    if not isinstance(reference, str):
        return None
    if reference.startswith("#") and isinstance(did, str):
        return did + reference
    return reference
