"""The app signing inside a SoftHSM2 token made by `labcert pki init --pkcs11`."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from labcert.pki.hsm import reinitialize
from labcert.signing import check_signing_key
from tests.factories import approve
from tests.pdf.conftest import require_tool
from tests.workflow.conftest import Lab


@pytest.fixture
def pkcs11_init(make_app: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                ) -> Iterator[tuple[Path, str]]:
    """Run `labcert pki init --pkcs11` in a fresh instance folder; yield it and the output."""
    require_tool("softhsm2-util")
    instance = tmp_path / "instance"
    monkeypatch.setenv("SOFTHSM2_CONF", str(instance / "softhsm" / "softhsm2.conf"))
    bootstrap = make_app()
    bootstrap.instance_path = str(instance)
    with bootstrap.app_context():
        result = bootstrap.test_cli_runner().invoke(args=["pki", "init", "--pkcs11"])
    assert result.exit_code == 0, result.output
    yield instance, result.output
    monkeypatch.undo()  # SoftHSM reads SOFTHSM2_CONF when it initialises: give others theirs back
    reinitialize(_exports(result.output)["LABCERT_SIGNING_PKCS11_MODULE"])


def _exports(output: str) -> dict[str, str]:
    return dict(re.findall(r"export (LABCERT_\w+|SOFTHSM2_CONF)=(\S+)", output))


def _hsm_config(output: str, **changes: str) -> dict[str, str]:
    exports = _exports(output)
    return {name.removeprefix("LABCERT_"): value for name, value in exports.items()
            if name.startswith("LABCERT_")} | changes


@pytest.fixture
def app(make_app: Any, pkcs11_init: tuple[Path, str]) -> Any:
    """Return an app configured with the token, as the init command told."""
    instance, output = pkcs11_init
    application = make_app(**_hsm_config(output))
    application.instance_path = str(instance)
    with application.app_context():
        yield application


def test_init_pkcs11_tells_how_to_configure_the_token(pkcs11_init: tuple[Path, str]) -> None:
    instance, output = pkcs11_init
    exports = _exports(output)

    assert "non-extractable DEVELOPMENT key 'labcert-signing'" in output
    assert exports["SOFTHSM2_CONF"] == str(instance / "softhsm" / "softhsm2.conf")
    assert exports["LABCERT_SIGNING_PKCS11_TOKEN_LABEL"] == "LabCert"
    assert Path(exports["LABCERT_SIGNING_PKCS11_PIN_FILE"]).stat().st_mode & 0o777 == 0o600
    assert Path(exports["LABCERT_SIGNING_PKCS11_MODULE"]).is_file()


def test_a_certificate_issued_through_pkcs11_validates(
        app: Flask, lab: Lab, client: Any) -> None:
    certificate = approve(lab.reviewer, lab.submitted().id).certificates[0]
    body = client.post("/api/v1/verify/pdf",
                       data={"file": (io.BytesIO(certificate.pdf), "c.pdf")},
                       content_type="multipart/form-data").get_json()
    status = app.test_cli_runner().invoke(args=["pki", "status", "--json", "--no-probe"])

    assert "DEVELOPMENT HSM signing key" in certificate.signer_subject
    assert body["verdict"] == "authentic", body
    assert "PKCS#11 token 'LabCert'" in status.output


@pytest.mark.parametrize(("change", "message"), [
    ({"SIGNING_PKCS11_PIN": "0000", "SIGNING_PKCS11_PIN_FILE": ""}, "wrong PIN for token"),
    ({"SIGNING_PKCS11_MODULE": "/nowhere/libsofthsm2.so"}, "PKCS#11 module not found"),
    ({"SIGNING_PKCS11_KEY_LABEL": "nokey"}, "no private key labelled 'nokey'"),
    ({"SIGNING_PKCS11_KEY_LABEL": ""}, "also set LABCERT_SIGNING_PKCS11_KEY_LABEL"),
])
def test_a_misconfigured_token_refuses_start_up_in_one_line(
        make_app: Any, pkcs11_init: tuple[Path, str], change: dict[str, str],
        message: str) -> None:
    instance, output = pkcs11_init
    misconfigured = make_app(**_hsm_config(output, **change))
    misconfigured.instance_path = str(instance)
    reinitialize(_exports(output)["LABCERT_SIGNING_PKCS11_MODULE"])  # a fresh process's login

    with pytest.raises(SystemExit) as stopped:
        check_signing_key(misconfigured)

    assert str(stopped.value).startswith("LabCert cannot start: ")
    assert message in str(stopped.value) and "\n" not in str(stopped.value)
