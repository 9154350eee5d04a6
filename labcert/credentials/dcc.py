"""Build a certificate's UNTP Digital Conformity Credential (W3C VC 2.0, compact JSON-LD).

The shape follows UNTP's DigitalConformityCredential: the lab (did:web) issues a
``ConformityAttestation`` to the holder, under the criteria set as the conformity scheme, with
the lab's accreditation as authorisation, one assessment per criterion group, the PDF as the
``conformityCertificate`` secure link (URL + SHA-256), and a Bitstring Status List entry for
suspension and for revocation.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from labcert.credentials.assessments import assessment_entries
from labcert.credentials.contexts import CREDENTIALS_V2_URL, labcert_context_url
from labcert.credentials.did import did_web
from labcert.credentials.facts import ConformityFacts, ProductFacts
from labcert.credentials.statuslist import status_entry
from labcert.credentials.times import end_of_day, timestamp

CREDENTIAL_TYPES = ["VerifiableCredential", "DigitalConformityCredential"]
UNTP_LINK_TYPE_CERTIFICATE = "https://test.uncefact.org/vocabulary/linkTypes/dcc"


def credential_url(public_url: str, number: str) -> str:
    """Return the public URL of a certificate's credential (also its ``id``)."""
    return f"{public_url.rstrip('/')}/api/v1/certificates/{number}/credential"


def attestation_id(public_url: str, number: str) -> str:
    """Return the URI of the attestation: the certificate's public verification page."""
    return f"{public_url.rstrip('/')}/verify/{number}"


def scheme_id(public_url: str, criteria_set: str) -> str:
    """Return the URI of the conformity scheme: the criteria set version in the lab's API."""
    return f"{public_url.rstrip('/')}/api/v1/criteria-sets/{criteria_set}"


def build_credential(facts: ConformityFacts) -> dict[str, Any]:
    """Return the unsigned Digital Conformity Credential for facts."""
    base = facts.public_url.rstrip("/")
    subject_id = attestation_id(base, facts.number)
    scheme = scheme_id(base, facts.criteria_set)
    credential: dict[str, Any] = {
        "@context": [CREDENTIALS_V2_URL, labcert_context_url(base)],
        "id": credential_url(base, facts.number),
        "type": list(CREDENTIAL_TYPES),
        "name": f"Certificate of conformity {facts.number}",
        "issuer": {"type": ["CredentialIssuer"], "id": did_web(base), "name": facts.lab_name},
        "validFrom": timestamp(facts.issued_at),
        "validUntil": end_of_day(facts.valid_until),
    }
    if facts.status:
        credential["credentialStatus"] = [
            status_entry(ref.list_url, ref.purpose, ref.index) for ref in facts.status
        ]
    credential["credentialSubject"] = _attestation(facts, subject_id, scheme)
    return credential


def _attestation(facts: ConformityFacts, subject_id: str, scheme: str) -> dict[str, Any]:
    product = _product(facts.product, subject_id)
    attestation: dict[str, Any] = {
        "type": ["ConformityAttestation", "Attestation"],
        "id": subject_id,
        "name": f"{facts.market_title}: certificate {facts.number}",
        "certificateNumber": facts.number,
        "revision": facts.revision,
        "assessorLevel": "3rdParty",
        "assessmentLevel": "accredited" if facts.lab_accreditation else "selfAssessed",
        "attestationType": "certification",
        "description": (
            f"{product['name']} assessed by {facts.lab_name} against {facts.criteria_set}"
            f" for {facts.market_title}; results relate only to the items tested."
        ),
        "issuedToParty": _holder(facts),
    }
    if facts.supersedes:
        attestation["supersedes"] = facts.supersedes
    if facts.lab_accreditation:
        attestation["authorisation"] = [
            {
                "type": ["Endorsement"],
                "name": f"Accreditation {facts.lab_accreditation} of {facts.lab_name}",
                "accreditationNumber": facts.lab_accreditation,
            }
        ]
    if facts.certificate is not None:
        attestation["conformityCertificate"] = {
            "linkURL": facts.certificate.url,
            "linkName": f"Certificate {facts.number} (signed PDF)",
            "linkType": UNTP_LINK_TYPE_CERTIFICATE,
            "hashDigest": facts.certificate.sha256,
            "hashMethod": "SHA-256",
        }
    attestation["scope"] = {
        "type": ["ConformityScheme"],
        "id": scheme,
        "name": facts.market_title,
        "market": facts.market,
        "criteriaSet": facts.criteria_set,
        "decisionRule": facts.decision_rule,
        "referenceStandard": [{"type": ["Standard"], "name": s} for s in facts.standards],
    }
    attestation["assessment"] = assessment_entries(
        facts.outcomes,
        subject_id=subject_id,
        scheme_id=scheme,
        assessed_on=facts.issued_at.astimezone(dt.UTC).date(),
        product=product,
    )
    return attestation


def _holder(facts: ConformityFacts) -> dict[str, Any]:
    holder: dict[str, Any] = {"type": ["Party"], "name": facts.holder_name}
    if facts.holder_address:
        holder["address"] = facts.holder_address
    if facts.holder_country:
        holder["addressCountry"] = facts.holder_country
    return holder


def _product(product: ProductFacts, subject_id: str) -> dict[str, Any]:
    name = product.marketing_name or f"{product.brand} {product.model}"
    described: dict[str, Any] = {
        "type": ["Product"],
        "id": f"{subject_id}#product",
        "name": name,
        "brand": product.brand,
        "model": product.model,
    }
    optional = {
        "marketingName": product.marketing_name,
        "productCategory": product.category,
        "hardwareVersion": product.hardware_version,
        "softwareVersion": product.software_version,
    }
    described.update({k: v for k, v in optional.items() if v})
    described["typeAllocationCode"] = list(product.tacs)
    return described
