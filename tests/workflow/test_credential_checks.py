"""Checking a credential through the API, the page and the CLI: each wrong told apart."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from tests.factories import approve
from tests.workflow.credential_helpers import as_json, signed_by_stranger, with_changed_byte

TAMPERED = ("The signature does not match the content: the credential was changed after it was"
            " signed.")
STRANGER = ("Not issued by the lab: the credential was signed with a key that is not one of the"
            " lab's keys")
REVOKED = "Revoked: the lab's revocation list marks this credential"


@pytest.fixture
def issued(lab, client):
    certificate = approve(lab.reviewer, lab.submitted().id).certificates[0]
    token = client.get(f"/api/v1/certificates/{certificate.number}/credential")
    return certificate.number, token.get_data(as_text=True)


class Cases(dict):
    """The good credential and its wrong versions; `withdraw()` withdraws the certificate."""

    def withdraw(self) -> None:
        self.reviewer.post(f"/api/v1/certificates/{self.number}/withdraw",
                           json={"reason": "fraudulent samples"})


@pytest.fixture
def cases(lab, api, issued) -> Cases:
    """Return the good credential, a tampered one, a stranger's, and the good one to withdraw."""
    number, token = issued
    found = Cases(good=token, tampered=with_changed_byte(token, b'"revision":0', b'"revision":5'),
                  stranger=signed_by_stranger(token), withdrawn=token)
    found.number, found.reviewer = number, api(lab.reviewer)
    return found


def _api(client, token: str) -> dict[str, tuple[bool, str]]:
    body = client.post("/api/v1/verify/credential", json={"credential": token}).get_json()
    return {c["name"]: (c["ok"], c["message"]) for c in body["checks"]} | {
        "_verdict": (body["in_force"], body["verdict"])}


def test_the_api_tells_each_wrong_credential_apart(client, cases) -> None:
    good, tampered = _api(client, cases["good"]), _api(client, cases["tampered"])
    stranger = _api(client, cases["stranger"])
    cases.withdraw()
    withdrawn = _api(client, cases["withdrawn"])

    assert good["_verdict"] == (True, "authentic")
    assert tampered["signature"] == (False, TAMPERED)
    assert stranger["issuer"][0] is False and stranger["issuer"][1].startswith(STRANGER)
    assert withdrawn["signature"][0] and withdrawn["issuer"][0]
    assert withdrawn["status"][0] is False and withdrawn["status"][1].startswith(REVOKED)
    assert withdrawn["_verdict"] == (False, "authentic")
    assert tampered["_verdict"] == stranger["_verdict"] == (False, "not_authentic")
    messages = {tampered["signature"][1], stranger["issuer"][1], withdrawn["status"][1]}
    assert len(messages) == 3


def test_the_api_reads_json_a_vc_jwt_body_or_an_uploaded_file(client, cases) -> None:
    token = cases["good"]
    as_body = client.post("/api/v1/verify/credential", data=token,
                          content_type="application/vc+jwt").get_json()
    as_file = client.post("/api/v1/verify/credential",
                          data={"file": (io.BytesIO(token.encode()), "credential.jwt")},
                          content_type="multipart/form-data").get_json()
    assert as_body["in_force"] is as_file["in_force"] is True


def test_the_api_refuses_what_is_not_a_credential_with_the_right_status(client, cases) -> None:
    assert client.post("/api/v1/verify/credential", data=cases["good"],
                       content_type="text/plain").status_code == 415
    missing = client.post("/api/v1/verify/credential", json={"token": "x"})
    assert missing.status_code == 422 and "credential" in missing.get_json()["details"]
    binary = client.post("/api/v1/verify/credential",
                         data={"file": (io.BytesIO(b"\x00\x01PK"), "credential.jwt")},
                         content_type="multipart/form-data")
    assert binary.status_code == 415 and "not text" in binary.get_json()["message"]
    pasted_json = client.post("/api/v1/verify/credential",
                              json={"credential": as_json(cases["good"])})
    assert pasted_json.status_code == 422
    assert pasted_json.get_json()["details"]["credential"][0].startswith(
        "This is JSON, not a signed credential")
    garbage = client.post("/api/v1/verify/credential", data="{}",
                          content_type="application/vc+jwt")
    assert garbage.status_code == 422


def test_the_page_tells_each_wrong_credential_apart(client, cases) -> None:
    assert "Check a certificate" in client.get("/verify/credential").get_data(as_text=True)
    pages = {name: client.post("/verify/credential", data={"credential": cases[name]})
             for name in ("good", "tampered", "stranger")}
    uploaded = client.post("/verify/credential", data={
        "file": (io.BytesIO(cases["good"].encode()), "credential.jwt")},
        content_type="multipart/form-data")
    assert "Authentic and in force" in uploaded.get_data(as_text=True)
    cases.withdraw()
    pages["withdrawn"] = client.post("/verify/credential",
                                     data={"credential": cases["withdrawn"]})
    assert all(p.status_code == 200 for p in pages.values())
    text = {name: p.get_data(as_text=True).replace("&#39;", "'") for name, p in pages.items()}
    assert "Authentic and in force" in text["good"]
    assert TAMPERED in text["tampered"] and "Do not rely on this credential" in text["tampered"]
    assert STRANGER in text["stranger"]
    assert REVOKED in text["withdrawn"] and "Authentic, but not in force" in text["withdrawn"]
    empty = client.post("/verify/credential", data={"credential": "  "})
    assert empty.status_code == 422 and "Paste the credential" in empty.get_data(as_text=True)
    damaged = client.post("/verify/credential", data={"credential": "a.b.c"})
    assert damaged.status_code == 422
    assert "The credential is damaged" in damaged.get_data(as_text=True)


def _files(client, tmp_path: Path, token: str) -> list[str]:
    """Save the credential, the DID document and both status lists as a verifier would."""
    (tmp_path / "credential.jwt").write_text(token)
    (tmp_path / "did.json").write_text(json.dumps(client.get("/.well-known/did.json").get_json()))
    args = ["--did", str(tmp_path / "did.json")]
    for purpose in ("suspension", "revocation"):
        path = tmp_path / f"{purpose}.jwt"
        path.write_bytes(client.get(f"/api/v1/status-lists/{purpose}-1").data)
        args += ["--status-list", str(path)]
    return args


@pytest.mark.parametrize(("name", "code", "line"), [
    ("good", 0, "OK   status: In force"),
    ("tampered", 1, f"FAIL signature: {TAMPERED}"),
    ("stranger", 1, f"FAIL issuer: {STRANGER}"),
    ("withdrawn", 1, f"FAIL status: {REVOKED}"),
])
def test_the_cli_checks_offline_with_files_and_tells_each_wrong_apart(
        client, runner, tmp_path, cases, name, code, line) -> None:
    if name == "withdrawn":
        cases.withdraw()
    args = _files(client, tmp_path, cases[name])
    result = runner.invoke(args=["verify", "--credential", str(tmp_path / "credential.jwt"),
                                 *args, "--no-fetch"])
    assert result.exit_code == code, result.output
    assert line in result.output


def test_the_cli_without_status_lists_and_without_fetching_cannot_confirm_status(
        client, runner, tmp_path, cases) -> None:
    args = _files(client, tmp_path, cases["good"])[:2]
    result = runner.invoke(args=["verify", "--credential", str(tmp_path / "credential.jwt"),
                                 *args, "--no-fetch", "--json"])
    answer = json.loads(result.output)
    assert result.exit_code == 1 and answer["authentic"] and not answer["valid"]
    status = next(c for c in answer["checks"] if c["name"] == "status")
    assert "was not available" in status["message"]
    refused = runner.invoke(args=["verify", "--credential", str(tmp_path / "credential.jwt"),
                                  "--no-fetch"])
    assert refused.exit_code == 1 and "--did FILE" in refused.output
