"""The public URL matches where the lab answers in development, and is checked in production
(issue 13, item 8)."""

from __future__ import annotations

import json
import logging
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from labcert.public_url import log_public_url, public_url_warnings, served_url, use_served_url
from tests.admin.conftest import text

LABCERT = Path(sys.executable).with_name("labcert")
ROOT = Path(__file__).resolve().parents[2]


def test_the_served_url_is_the_address_a_verifier_opens() -> None:
    assert served_url("127.0.0.1", 5001) == "http://127.0.0.1:5001"
    assert served_url("localhost", 443, https=True) == "https://localhost"
    assert served_url("::1", 8000) == "http://[::1]:8000"
    wildcard = served_url("0.0.0.0", 8000)
    assert wildcard.endswith(":8000") and "0.0.0.0" not in wildcard


def test_a_development_server_without_a_public_url_uses_the_address_it_serves(make_app) -> None:
    app = make_app(PUBLIC_URL_CONFIGURED=False)
    use_served_url(app, "127.0.0.1", 5123)
    assert app.config["PUBLIC_URL"] == "http://127.0.0.1:5123"
    assert public_url_warnings(app) == []  # development: nothing to warn about


def test_a_chosen_public_url_is_kept_and_a_mismatch_is_logged(make_app, caplog) -> None:
    app = make_app(PUBLIC_URL="https://certs.lab.example")
    with caplog.at_level(logging.WARNING, logger="labcert.public_url"):
        use_served_url(app, "127.0.0.1", 5123)
    assert app.config["PUBLIC_URL"] == "https://certs.lab.example"
    assert "this server answers at http://127.0.0.1:5123" in caplog.text


@pytest.mark.parametrize(("overrides", "expected"), [
    ({"PUBLIC_URL_CONFIGURED": False}, "LABCERT_PUBLIC_URL is not set"),
    ({"PUBLIC_URL": "http://certs.lab.example"}, "not HTTPS"),
    ({"PUBLIC_URL": "https://localhost:8443"}, "an address of this machine only"),
])
def test_production_warns_on_an_unset_or_plain_http_public_url(
        make_app, caplog, overrides, expected) -> None:
    app = make_app(**overrides)
    warnings = public_url_warnings(app)
    assert len(warnings) == 1 and expected in warnings[0]
    with caplog.at_level(logging.WARNING, logger="labcert.public_url"):
        log_public_url(app)  # the start-up log (wsgi.py)
    assert expected in caplog.text
    assert public_url_warnings(make_app(PUBLIC_URL="https://certs.lab.example")) == []


def test_the_signing_key_page_and_pki_status_warn(app, client, auth, runner,
                                                  own_instance) -> None:
    from labcert.pki import init_dev_pki

    init_dev_pki(own_instance / "pki", app.config["LAB_NAME"])
    app.config["PUBLIC_URL_CONFIGURED"] = False  # as when LABCERT_PUBLIC_URL is not set
    app.config["PUBLIC_URL"] = "http://127.0.0.1:5000"
    auth.login_as("admin")
    page = text(client.get("/admin/signing-key"))
    assert "LABCERT_PUBLIC_URL is not set" in page
    result = runner.invoke(args=["pki", "status", "--no-probe"])
    assert "Public URL: http://127.0.0.1:5000" in result.output
    assert "WARNING: LABCERT_PUBLIC_URL is not set" in result.output
    as_json = json.loads(runner.invoke(args=["pki", "status", "--no-probe", "--json"]).output)
    assert any("LABCERT_PUBLIC_URL is not set" in w for w in as_json["warnings"])
    app.config["PUBLIC_URL_CONFIGURED"] = True
    app.config["PUBLIC_URL"] = "https://certs.lab.example"
    assert "LABCERT_PUBLIC_URL" not in text(client.get("/admin/signing-key"))


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_labcert_run_on_another_port_prints_links_to_that_port(tmp_path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LABCERT_")}
    env.update(LABCERT_INSTANCE_PATH=str(tmp_path), LABCERT_LOG_LEVEL="INFO",
               PYTHONPATH=str(ROOT))
    subprocess.run([str(LABCERT), "pki", "init"], env=env, cwd=ROOT, check=True,
                   capture_output=True, timeout=120)
    port = _free_port()
    log = tmp_path / "server.log"
    with log.open("wb") as out:
        server = subprocess.Popen([str(LABCERT), "run", "--host", "127.0.0.1", "--port",
                                   str(port)], env=env, cwd=ROOT, stdout=out,
                                  stderr=subprocess.STDOUT)
    try:
        deadline, body = time.monotonic() + 60, None
        while body is None and time.monotonic() < deadline and server.poll() is None:
            try:
                with urllib.request.urlopen(
                        f"http://127.0.0.1:{port}/contexts/labcert-dcc-v1.jsonld",
                        timeout=5) as answer:
                    body = answer.read().decode()
            except OSError:
                time.sleep(0.2)
        assert body is not None, log.read_text(errors="replace")
        assert f"http://127.0.0.1:{port}/" in body and "127.0.0.1:5000" not in body
        assert f"Public URL: http://127.0.0.1:{port}" in log.read_text(errors="replace")
    finally:
        server.terminate()
        server.wait(timeout=15)
