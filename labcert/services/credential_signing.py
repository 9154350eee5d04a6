"""Sign a certificate's UNTP Digital Conformity Credential from its facts and status place.

A credential states the PDF's SHA-256, so it is signed after the PDF; the PDF cannot carry a
credential that hashes the PDF itself. The PDF therefore carries, beside certificate.json, the
credential of the same facts without the PDF link, which the PDF's own signature binds to the
file; the registered credential, served by the API, adds the link with the hash. Both share the
certificate's status entries, so a suspension or withdrawal reaches both.
"""

from __future__ import annotations

import hashlib

from labcert.certificate_facts import CertificateFacts
from labcert.credentials import (
    STATUS_PURPOSES,
    CertificateLink,
    ConformityFacts,
    CriterionOutcome,
    ProductFacts,
    StatusRef,
    issue_credential,
)
from labcert.pki import LabSigner
from labcert.rules.frozen import thaw
from labcert.services.credential_keys import credential_signer
from labcert.services.settings import ServiceSettings
from labcert.services.status_lists import list_url


def pdf_url(public_url: str, number: str) -> str:
    """Return the URL of a certificate's signed PDF (the holder's and the lab's download)."""
    return f"{public_url.rstrip('/')}/api/v1/certificates/{number}/pdf"


def conformity_facts(facts: CertificateFacts, public_url: str, place: tuple[int, int],
                     pdf: bytes | None = None) -> ConformityFacts:
    """Return what the credential of a certificate states, from its facts and status place."""
    evaluation = thaw(facts.evaluation)
    accepts_conditional = bool(evaluation.get("accept_conditional_pass"))
    outcomes = tuple(
        CriterionOutcome(
            criterion=o["criterion"], title=o.get("title") or o["criterion"],
            verdict=o["verdict"], standard=o.get("standard"),
            conforms=o["verdict"] == "pass"
            or (o["verdict"] == "conditional_pass" and accepts_conditional))
        for o in evaluation.get("outcomes", []))
    product = facts.product
    list_number, index = place
    return ConformityFacts(
        public_url=public_url, number=facts.number, revision=facts.certificate.revision,
        issued_at=facts.certificate.issued_at, valid_until=facts.certificate.valid_until,
        lab_name=facts.lab.name, lab_accreditation=facts.lab.accreditation_number,
        holder_name=facts.holder.name, holder_country=facts.holder.country,
        holder_address=facts.holder.address or None,
        product=ProductFacts(brand=product.brand, model=product.model,
                             marketing_name=product.marketing_name or None,
                             category=product.category or None,
                             hardware_version=product.hardware_version or None,
                             software_version=product.software_version or None,
                             tacs=tuple(product.tacs)),
        market=facts.market.id, market_title=facts.market.title,
        criteria_set=facts.market.criteria_set, standards=tuple(facts.market.standards),
        decision_rule=facts.market.decision_rule_text, outcomes=outcomes,
        status=tuple(StatusRef(p, list_url(public_url, p, list_number), index)
                     for p in STATUS_PURPOSES),
        certificate=CertificateLink(pdf_url(public_url, facts.number),
                                    hashlib.sha256(pdf).hexdigest()) if pdf is not None else None,
        supersedes=facts.certificate.supersedes)


def sign_credential(facts: CertificateFacts, settings: ServiceSettings, signer: LabSigner,
                    place: tuple[int, int], pdf: bytes | None = None) -> str:
    """Return the signed credential (vc+jwt) of a certificate; with pdf, linking the PDF."""
    stated = conformity_facts(facts, settings.public_url, place, pdf)
    return issue_credential(stated, credential_signer(signer)).token
