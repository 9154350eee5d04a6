"""`labcert verify --credential` fetching the DID document and status lists from a running lab."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from tests.factories import approve


@pytest.fixture
def served(app) -> Iterator[str]:
    """Serve the test app on 127.0.0.1 (a free port) with that address as its public URL."""
    server = make_server("127.0.0.1", 0, app)
    url = f"http://127.0.0.1:{server.server_port}"
    app.config["PUBLIC_URL"] = url
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield url
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def test_the_cli_fetches_what_it_is_not_given_from_the_lab(lab, api, client, runner, tmp_path,
                                                            served) -> None:
    number = approve(lab.reviewer, lab.submitted().id).certificates[0].number
    path = tmp_path / "credential.jwt"
    path.write_bytes(client.get(f"/api/v1/certificates/{number}/credential").data)

    good = runner.invoke(args=["verify", "--credential", str(path), "--lab", served])
    api(lab.reviewer).post(f"/api/v1/certificates/{number}/suspend", json={"reason": "recall"})
    suspended = runner.invoke(args=["verify", "--credential", str(path)])  # this lab by default

    assert good.exit_code == 0, good.output
    assert f"{path}: VALID ({number})" in good.output
    assert "did:web:127.0.0.1%3A" in good.output
    assert suspended.exit_code == 1 and "FAIL status: Suspended:" in suspended.output
    assert "AUTHENTIC, NOT IN FORCE" in suspended.output


def test_an_unreachable_lab_is_a_one_line_reason(lab, client, runner, tmp_path) -> None:
    number = approve(lab.reviewer, lab.submitted().id).certificates[0].number
    path = tmp_path / "credential.jwt"
    path.write_bytes(client.get(f"/api/v1/certificates/{number}/credential").data)
    result = runner.invoke(args=["verify", "--credential", str(path), "--lab",
                                 "http://127.0.0.1:9"])
    assert result.exit_code == 1
    assert "cannot fetch the lab's DID document" in result.output and "--did FILE" in result.output


def _guide_example() -> str:
    guide = (Path(__file__).resolve().parents[2] / "docs/guides/verifier.md").read_text()
    section = guide.split("## Checking a certificate from your own software", 1)[1]
    return section.split("```python\n", 1)[1].split("```", 1)[0]


def test_the_verifier_guides_python_example_checks_a_live_credential(
        lab, api, runner, served, capsys) -> None:
    number = approve(lab.reviewer, lab.submitted().id).certificates[0].number
    code = re.sub(r'^LAB, NUMBER = .*$', f'LAB, NUMBER = "{served}", "{number}"',
                  _guide_example(), flags=re.MULTILINE)
    assert len([line for line in code.splitlines() if line.strip()]) <= 24

    exec(compile(code, "verifier.md", "exec"), {})
    assert f"{number} is in force until" in capsys.readouterr().out

    api(lab.reviewer).post(f"/api/v1/certificates/{number}/withdraw", json={"reason": "fraud"})
    with pytest.raises(AssertionError, match="revocation: do not rely on it"):
        exec(compile(code, "verifier.md", "exec"), {})
