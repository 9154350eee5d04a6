"""The keys that sign credentials, and the lab's DID document that publishes them.

``published_keys`` is the one place the DID document learns its keys from: the signing-key
history (current and retired keys, compromised ones marked), so that credentials signed before a
rotation keep verifying and none signed by a compromised key does.
"""

from __future__ import annotations

from typing import Any

from cryptography.hazmat.primitives.asymmetric import ec

from labcert.credentials import JwsSigner, PublishedKey, build_did_document, did_web
from labcert.pki import LabSigner, SigningKeyError
from labcert.services.settings import ServiceSettings
from labcert.services.signing_keys import verification_keys

# LabSigner.sign_token hashes with SHA-256: ES256 on P-256, RS256 on RSA, plain EdDSA.
_TOKEN_CURVES = ("secp256r1",)


def credential_signer(signer: LabSigner) -> JwsSigner:
    """Return the lab signer as a JWS signer whose raw signatures come from sign_token."""
    public = signer.certificate.public_key()
    if isinstance(public, ec.EllipticCurvePublicKey) and public.curve.name not in _TOKEN_CURVES:
        raise SigningKeyError(
            f"the signing key is EC {public.curve.name}; credentials are signed with ES256,"
            " so use an EC P-256 (or RSA) key")
    return JwsSigner(public, signer.sign_token)  # type: ignore[arg-type]


def published_keys(settings: ServiceSettings) -> list[PublishedKey]:
    """Return every key of the history, the current one first; compromised ones are marked."""
    records = verification_keys(settings.signers, settings.signer).records
    current = [r for r in records if r.retired_at is None and r.compromised_since is None]
    return [PublishedKey(r.certificate.public_key(),  # type: ignore[arg-type]
                         retired_at=r.retired_at, compromised_since=r.compromised_since)
            for r in [*reversed(current), *(r for r in records if r not in current)]]


def did_document(settings: ServiceSettings) -> dict[str, Any]:
    """Return the lab's DID document (did:web of its public URL) with its published keys."""
    return build_did_document(did_web(settings.public_url), published_keys(settings),
                              also_known_as=settings.public_url)
