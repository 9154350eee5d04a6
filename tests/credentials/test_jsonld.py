"""The credential is sound JSON-LD that pyld expands offline with the contexts LabCert keeps.

The document loader serves only the local contexts and refuses every other URL, so these
tests would fail rather than reach the network. Expansion must drop no property: a term
missing from the contexts would otherwise vanish silently from the RDF.
"""

from __future__ import annotations

import pytest
from pyld import jsonld

from labcert.credentials import build_credential, document_loader, labcert_context
from labcert.credentials.contexts import (
    CREDENTIALS_V2_JSON_SHA256,
    UnknownContext,
    canonical_sha256,
    credentials_v2_context,
)
from labcert.credentials.statuslist import status_list_credential
from tests.credentials.conftest import DURING, PUBLIC_URL, list_url, make_facts

UNTP_DCC = "https://test.uncefact.org/vocabulary/untp/dcc/0/"
UNTP_CORE = "https://test.uncefact.org/vocabulary/untp/core/0/"


def _expand(document: dict) -> tuple[list, list[str]]:
    dropped: list[str] = []
    processor = jsonld.JsonLdProcessor(on_property_dropped=dropped.append)
    expanded = processor.expand(document, {"documentLoader": document_loader(PUBLIC_URL)})
    return expanded, dropped


def _nquads(document: dict) -> str:
    return jsonld.normalize(
        document,
        {
            "algorithm": "URDNA2015",
            "format": "application/n-quads",
            "documentLoader": document_loader(PUBLIC_URL),
        },
    )


def test_the_credential_expands_offline_without_dropping_a_single_property():
    expanded, dropped = _expand(build_credential(make_facts()))
    assert dropped == []
    assert expanded[0]["@type"] == [
        "https://www.w3.org/2018/credentials#VerifiableCredential",
        UNTP_DCC + "DigitalConformityCredential",
    ]


def test_the_credential_normalises_with_urdna2015_into_untp_and_labcert_statements():
    quads = _nquads(build_credential(make_facts()))
    assert f'<{UNTP_CORE}hashDigest> "{"5f" * 32}"' in quads
    assert f'<{PUBLIC_URL}/ns/labcert/v1#typeAllocationCode> "86754304"' in quads
    assert f"<{UNTP_DCC}conformance> " in quads
    assert '<https://schema.org/brand> "Xiaomi"' in quads
    assert '"2029-03-02T23:59:59Z"^^<http://www.w3.org/2001/XMLSchema#dateTime>' in quads
    assert "<https://www.w3.org/2018/credentials#credentialStatus>" in quads


def test_the_status_list_credential_expands_and_normalises_offline():
    credential = status_list_credential(
        list_url=list_url("suspension"),
        issuer="did:web:lab.example.pk",
        purpose="suspension",
        set_indexes=[1],
        valid_from=DURING,
    )
    _, dropped = _expand(credential)
    assert dropped == []
    assert "<https://www.w3.org/ns/credentials/status#encodedList>" in _nquads(credential)


def test_an_undefined_term_would_be_noticed():
    credential = build_credential(make_facts())
    credential["credentialSubject"]["colour"] = "blue"
    _, dropped = _expand(credential)
    assert dropped == ["colour"]


def test_the_loader_never_reaches_for_a_context_it_does_not_keep():
    with pytest.raises(UnknownContext):
        document_loader(PUBLIC_URL)("https://schema.org/", {})
    with pytest.raises(jsonld.JsonLdError):
        jsonld.expand(
            {"@context": "https://example.org/context.jsonld", "name": "x"},
            {"documentLoader": document_loader(PUBLIC_URL)},
        )


def test_the_vendored_vc2_context_is_the_w3c_recommendations_json():
    context = credentials_v2_context()
    assert canonical_sha256(context) == CREDENTIALS_V2_JSON_SHA256
    terms = context["@context"]
    assert "@vocab" not in terms  # the final Recommendation has no catch-all vocabulary
    assert "statusSize" in terms["BitstringStatusListEntry"]["@context"]


def test_labcerts_context_is_protected_has_no_catch_all_and_names_the_labs_namespace():
    context = labcert_context("https://lab.example.pk/")["@context"]
    assert context["@protected"] is True
    assert "@vocab" not in context
    assert context["labcert"] == "https://lab.example.pk/ns/labcert/v1#"
    assert context["untp-dcc"] == UNTP_DCC
