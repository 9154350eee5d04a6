"""Machine-verifiable certificates: UNTP Digital Conformity Credentials as W3C VC 2.0 ``vc+jwt``.

A leaf library like ``pdf/`` and ``pki/``: it knows nothing of the database, Flask or the
services. Callers hand it plain values (``ConformityFacts``), a raw signer (``JwsSigner``), the
lab's public URL, keys and status bits; it returns JSON documents, tokens and check results.
"""

from labcert.credentials.contexts import (
    CREDENTIALS_V2_URL,
    document_loader,
    labcert_context,
    labcert_context_url,
    local_contexts,
)
from labcert.credentials.dcc import build_credential, credential_url
from labcert.credentials.did import (
    PublishedKey,
    build_did_document,
    did_document_url,
    did_web,
    key_id,
)
from labcert.credentials.envelope import MEDIA_TYPE, MalformedCredential, read_unverified
from labcert.credentials.facts import (
    REVOCATION,
    STATUS_PURPOSES,
    SUSPENSION,
    CertificateLink,
    ConformityFacts,
    CriterionOutcome,
    ProductFacts,
    StatusRef,
)
from labcert.credentials.issue import SignedCredential, issue_credential, issue_status_list
from labcert.credentials.keys import JwsSigner, ecdsa_der_to_jose, signer_for_private_key
from labcert.credentials.signed import Check
from labcert.credentials.statuslist import MIN_ENTRIES, bit_is_set, decode_bitstring
from labcert.credentials.verify import CredentialCheck, verify_credential

__all__ = [
    "CREDENTIALS_V2_URL",
    "MEDIA_TYPE",
    "MIN_ENTRIES",
    "REVOCATION",
    "STATUS_PURPOSES",
    "SUSPENSION",
    "CertificateLink",
    "Check",
    "ConformityFacts",
    "CredentialCheck",
    "CriterionOutcome",
    "JwsSigner",
    "MalformedCredential",
    "ProductFacts",
    "PublishedKey",
    "SignedCredential",
    "StatusRef",
    "bit_is_set",
    "build_credential",
    "build_did_document",
    "credential_url",
    "decode_bitstring",
    "did_document_url",
    "did_web",
    "document_loader",
    "ecdsa_der_to_jose",
    "issue_credential",
    "issue_status_list",
    "key_id",
    "labcert_context",
    "labcert_context_url",
    "local_contexts",
    "read_unverified",
    "signer_for_private_key",
    "verify_credential",
]
