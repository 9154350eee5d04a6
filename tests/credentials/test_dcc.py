"""The Digital Conformity Credential states every fact the issue lists, in UNTP's shape."""

from __future__ import annotations

import datetime as dt

import pytest

from labcert.credentials import build_credential, read_unverified
from labcert.credentials.assessments import group_outcomes, weakest
from labcert.credentials.facts import CriterionOutcome, StatusRef
from tests.credentials.conftest import INDEX, NUMBER, PDF_SHA256, PUBLIC_URL, list_url, make_facts


def test_the_signed_payload_carries_every_fact_of_the_certificate(lab):
    _, credential = read_unverified(lab.issue())
    subject = credential["credentialSubject"]
    product = subject["assessment"][0]["assessedProduct"][0]["product"]

    assert credential["@context"] == [
        "https://www.w3.org/ns/credentials/v2",
        f"{PUBLIC_URL}/contexts/labcert-dcc-v1.jsonld",
    ]
    assert credential["type"] == ["VerifiableCredential", "DigitalConformityCredential"]
    assert credential["id"] == f"{PUBLIC_URL}/api/v1/certificates/{NUMBER}/credential"
    assert credential["issuer"]["id"] == "did:web:lab.example.pk"
    assert credential["issuer"]["name"] == "Lahore Radio Test Laboratory"
    assert subject["type"] == ["ConformityAttestation", "Attestation"]
    assert subject["id"] == f"{PUBLIC_URL}/verify/{NUMBER}"
    assert subject["certificateNumber"] == NUMBER
    assert subject["issuedToParty"]["name"] == "Air Link Communication"
    # the assessed product: brand, model, hardware and software versions, TACs
    assert product["brand"] == "Xiaomi"
    assert product["model"] == "2409BRN2CG"
    assert product["hardwareVersion"] == "P1.2"
    assert product["softwareVersion"] == "HyperOS 1.0.5"
    assert product["typeAllocationCode"] == ["86754304", "86754305"]
    # the scheme, the criteria set with its version, the standards
    assert subject["scope"]["id"] == f"{PUBLIC_URL}/api/v1/criteria-sets/eu-red@2025.08"
    assert subject["scope"]["criteriaSet"] == "eu-red@2025.08"
    assert subject["scope"]["market"] == "eu-red"
    assert [s["name"] for s in subject["scope"]["referenceStandard"]] == [
        "EN 300 328 V2.2.2",
        "EN IEC/IEEE 62209-1528:2021",
    ]
    # the outcome per criterion group
    assert [(a["name"], a["outcome"], a["conformance"]) for a in subject["assessment"]] == [
        ("Specific absorption rate (SAR)", "conditional_pass", True),
        ("Radio spectrum use (RF)", "pass", True),
    ]
    assert [c["verdict"] for c in subject["assessment"][0]["assessmentCriteria"]] == [
        "pass",
        "conditional_pass",
    ]
    # the lab's accreditation, the validity period, the PDF as a secure link
    assert subject["authorisation"][0]["accreditationNumber"] == "PNAC-TL-0042"
    assert credential["validFrom"] == "2026-03-02T09:30:15Z"
    assert credential["validUntil"] == "2029-03-02T23:59:59Z"
    assert subject["conformityCertificate"] == {
        "linkURL": f"{PUBLIC_URL}/api/v1/certificates/{NUMBER}/pdf",
        "linkName": f"Certificate {NUMBER} (signed PDF)",
        "linkType": "https://test.uncefact.org/vocabulary/linkTypes/dcc",
        "hashDigest": PDF_SHA256,
        "hashMethod": "SHA-256",
    }
    # one status entry per purpose, both at the certificate's index
    assert credential["credentialStatus"] == [
        {
            "id": f"{list_url(purpose)}#{INDEX}",
            "type": "BitstringStatusListEntry",
            "statusPurpose": purpose,
            "statusListIndex": str(INDEX),
            "statusListCredential": list_url(purpose),
        }
        for purpose in ("suspension", "revocation")
    ]


def test_an_amendment_names_its_revision_and_the_certificate_it_supersedes():
    credential = build_credential(make_facts(number=f"{NUMBER}-R1", revision=1, supersedes=NUMBER))
    subject = credential["credentialSubject"]
    assert (subject["revision"], subject["supersedes"]) == (1, NUMBER)
    assert credential["id"].endswith(f"/{NUMBER}-R1/credential")


def test_without_a_pdf_link_or_accreditation_the_credential_says_so_rather_than_inventing_them():
    subject = build_credential(make_facts(certificate=None, lab_accreditation=""))[
        "credentialSubject"
    ]
    assert "conformityCertificate" not in subject
    assert "authorisation" not in subject
    assert subject["assessmentLevel"] == "selfAssessed"


def test_a_group_that_holds_a_failing_criterion_does_not_conform():
    outcomes = (
        CriterionOutcome("emc.radiated", "Radiated emissions", "pass", True),
        CriterionOutcome("emc.conducted", "Conducted emissions", "conditional_fail", False),
    )
    (assessment,) = build_credential(make_facts(outcomes=outcomes))["credentialSubject"][
        "assessment"
    ]
    assert (assessment["outcome"], assessment["conformance"]) == ("conditional_fail", False)


def test_groups_keep_the_order_of_the_criteria_and_unknown_verdicts_count_as_weakest():
    outcomes = [
        CriterionOutcome("rf.a", "a", "pass", True),
        CriterionOutcome("sar.b", "b", "pass", True),
        CriterionOutcome("rf.c", "c", "pass", True),
    ]
    assert [group for group, _ in group_outcomes(outcomes)] == ["rf", "sar"]
    assert weakest(["pass", "mystery", "fail"]) == "mystery"


def test_facts_without_a_time_zone_outcomes_or_a_valid_status_reference_are_refused():
    with pytest.raises(ValueError, match="time zone"):
        make_facts(issued_at=dt.datetime(2026, 3, 2, 9, 30))
    with pytest.raises(ValueError, match="at least one criterion outcome"):
        make_facts(outcomes=())
    with pytest.raises(ValueError, match="status purpose"):
        StatusRef("expiry", list_url("revocation"), 1)
    with pytest.raises(ValueError, match="non-negative"):
        StatusRef("revocation", list_url("revocation"), -1)


def test_the_same_facts_give_the_same_credential_bytes(lab):
    assert lab.issue() == lab.issue()
