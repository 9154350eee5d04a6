"""Each certificate is issued as a signed UNTP Digital Conformity Credential, served as stored.

The importer's side is played by jwcrypto (LabCert signs through its own raw signer and checks
with joserfc) with keys taken only from the served /.well-known/did.json, and by pyld with the
contexts the lab serves.
"""

from __future__ import annotations

import hashlib
import json

import pytest
from jwcrypto import jwk, jws
from pyld import jsonld

from labcert.credentials import CREDENTIALS_V2_URL, read_unverified
from labcert.extensions import db
from labcert.models import Certificate
from labcert.services.credentials import registered_credential
from tests.factories import approve
from tests.workflow.credential_helpers import bit, embedded_files, index_of, payload

PUBLIC_URL = "http://labcert.test"


@pytest.fixture
def certificate(lab):
    return approve(lab.reviewer, lab.submitted().id).certificates[0]


def _served(client, number: str) -> str:
    response = client.get(f"/api/v1/certificates/{number}/credential")
    assert response.status_code == 200 and response.mimetype == "application/vc+jwt"
    return response.get_data(as_text=True)


def test_the_credential_is_served_as_registered_byte_for_byte(client, certificate) -> None:
    first, second = _served(client, certificate.number), _served(client, certificate.number)
    assert first == second == registered_credential(certificate.number)
    decoded = client.get(f"/api/v1/certificates/{certificate.number}/credential.json")
    assert decoded.mimetype == "application/json" and decoded.get_json() == payload(first)


def test_jwcrypto_verifies_it_with_a_key_taken_only_from_the_did_document(client,
                                                                          certificate) -> None:
    token = _served(client, certificate.number)
    document = client.get("/.well-known/did.json").get_json()
    header = read_unverified(token)[0]
    method = next(m for m in document["verificationMethod"] if m["id"] == header["kid"])

    checked = jws.JWS()
    checked.deserialize(token)
    checked.verify(jwk.JWK(**method["publicKeyJwk"]), alg=header["alg"])

    credential = json.loads(checked.payload)
    assert document["id"] == credential["issuer"]["id"] == "did:web:labcert.test"
    assert header["kid"] in document["assertionMethod"] and header["typ"] == "vc+jwt"
    assert client.get("/did.json").get_json() == document


def test_the_credential_links_the_registered_pdf_by_its_sha256(client, certificate) -> None:
    subject = payload(_served(client, certificate.number))["credentialSubject"]
    link = subject["conformityCertificate"]
    assert link["hashDigest"] == hashlib.sha256(certificate.pdf).hexdigest()
    assert link["hashDigest"] == certificate.pdf_sha256
    assert link["linkURL"] == f"{PUBLIC_URL}/api/v1/certificates/{certificate.number}/pdf"
    assert subject["scope"]["criteriaSet"] == certificate.criteria_set
    assert subject["assessment"] and all(a["conformance"] for a in subject["assessment"])
    product = subject["assessment"][0]["assessedProduct"][0]["product"]
    assert product["typeAllocationCode"] == list(certificate.facts.product.tacs)


def test_the_pdf_carries_the_credential_of_its_facts_beside_certificate_json(
        client, certificate) -> None:
    files = embedded_files(certificate.pdf)
    assert set(files) == {"certificate.json", "credential.jwt"}
    subtype, data = files["credential.jwt"]
    assert subtype == "/application/vc+jwt"  # the PDF name /application#2fvc+jwt, decoded
    embedded = data.decode("ascii")
    served = payload(_served(client, certificate.number))
    attached = payload(embedded)
    # The attached one cannot hash the PDF it is inside; everything else is the same.
    assert "conformityCertificate" not in attached["credentialSubject"]
    served["credentialSubject"].pop("conformityCertificate")
    assert attached == served
    answer = client.post("/api/v1/verify/credential", json={"credential": embedded}).get_json()
    assert answer["in_force"] is True


def test_pyld_expands_the_served_credential_with_the_contexts_the_lab_serves(
        client, certificate) -> None:
    fetched: list[str] = []

    def loader(url: str, options: dict) -> dict:
        path = "/contexts/credentials-v2.jsonld" if url == CREDENTIALS_V2_URL \
            else url.removeprefix(PUBLIC_URL)
        assert path != url, f"{url} is not served by the lab"
        response = client.get(path)
        assert response.status_code == 200 and response.mimetype == "application/ld+json"
        fetched.append(url)
        return {"contentType": "application/ld+json", "contextUrl": None, "documentUrl": url,
                "document": json.loads(response.data)}  # not get_json: floats stay floats

    credential = payload(_served(client, certificate.number))
    dropped: list[str] = []
    jsonld.JsonLdProcessor(on_property_dropped=dropped.append).expand(
        credential, {"documentLoader": loader})
    quads = jsonld.normalize(credential, {"algorithm": "URDNA2015",
                                          "format": "application/n-quads",
                                          "documentLoader": loader})
    assert dropped == []
    assert f'"{certificate.pdf_sha256}"' in quads
    assert set(fetched) == {CREDENTIALS_V2_URL, f"{PUBLIC_URL}/contexts/labcert-dcc-v1.jsonld"}
    assert "typeAllocationCode" in client.get("/ns/labcert/v1").get_data(as_text=True)


def test_an_amendment_gets_its_own_credential_and_revokes_the_superseded_one(
        lab, api, client, certificate) -> None:
    old = _served(client, certificate.number)
    new = api(lab.reviewer).post(f"/api/v1/certificates/{certificate.number}/amend", json={
        "reason": "new software", "changes": {"software_version": "2.0"}}).get_json()
    new_token = _served(client, new["number"])
    subject = payload(new_token)["credentialSubject"]

    assert (subject["revision"], subject["supersedes"]) == (1, certificate.number)
    assert subject["assessment"][0]["assessedProduct"][0]["product"]["softwareVersion"] == "2.0"
    assert index_of(new_token) != index_of(old)
    assert bit(client, "revocation", index_of(old)) and not bit(client, "revocation",
                                                                 index_of(new_token))
    answer = client.post("/api/v1/verify/credential", json={"credential": old}).get_json()
    registry = next(c for c in answer["checks"] if c["name"] == "registry")
    assert answer["verdict"] == "authentic" and not answer["in_force"]
    assert f"The current revision is {new['number']}" in registry["message"]


def test_unknown_numbers_and_lists_are_plain_404s(client) -> None:
    for url in ("/api/v1/certificates/LC-2026-999999/credential",
                "/api/v1/certificates/LC-2026-999999/credential.json",
                "/api/v1/status-lists/revocation-7", "/api/v1/status-lists/expiry-1",
                "/api/v1/status-lists/revocation-99999999999999"):
        response = client.get(url)
        assert response.status_code == 404, url
        assert set(response.get_json()) == {"error", "message", "details"}
    assert client.get("/contexts/other.jsonld").status_code == 404


def test_a_certificate_from_before_credentials_gets_one_from_the_backfill(
        client, runner, certificate) -> None:
    db.session.execute(db.update(Certificate).values(credential=None, status_list=None,
                                                     status_index=None))
    db.session.commit()
    missing = client.get(f"/api/v1/certificates/{certificate.number}/credential")
    assert missing.status_code == 404 and "backfill" in missing.get_json()["message"]

    result = runner.invoke(args=["credentials", "backfill"])

    assert result.exit_code == 0 and certificate.number in result.output
    answer = client.post("/api/v1/verify/credential",
                         json={"credential": _served(client, certificate.number)}).get_json()
    assert answer["in_force"] is True
    assert runner.invoke(args=["credentials", "backfill"]).output.startswith(
        "Credentials signed for 0 certificate(s)")
