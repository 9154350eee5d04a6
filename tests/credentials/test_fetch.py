"""Fetching the DID document and status lists from a lab served on loopback."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from labcert.credentials import read_unverified, verify_credential
from labcert.credentials.fetch import (
    FetchFailed,
    fetch_did_document,
    fetch_status_lists,
    fetch_text,
    status_list_urls,
)
from tests.credentials.conftest import DURING, Lab


@pytest.fixture
def served_lab(lab: Lab) -> Iterator[tuple[Lab, str]]:
    """Serve the lab's DID document and status lists over HTTP on 127.0.0.1 (a free port)."""
    documents: dict[str, tuple[str, bytes]] = {}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            if self.path not in documents:
                self.send_error(404, "Not Found")
                return
            kind, body = documents[self.path]
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    base = f"http://127.0.0.1:{server.server_port}"
    lab.public_url = base
    documents["/.well-known/did.json"] = (
        "application/did+json",
        json.dumps(lab.did_document()).encode(),
    )
    for url, token in lab.status_lists().items():
        documents[url[len(base) :]] = ("application/vc+jwt", token.encode())
    documents["/big"] = ("text/plain", b"x" * (2 * 1024 * 1024))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield lab, base
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def test_a_credential_checks_out_with_documents_fetched_from_the_lab(served_lab):
    lab, base = served_lab
    token = lab.issue()
    urls = status_list_urls(read_unverified(token)[1])

    document = fetch_did_document(f"{base}/.well-known/did.json")
    lists = fetch_status_lists(urls)

    assert len(urls) == 2
    assert verify_credential(token, document, lists, now=DURING).valid


def test_fetch_failures_name_the_url_and_the_reason(served_lab):
    _, base = served_lab
    with pytest.raises(FetchFailed, match="answered 404"):
        fetch_did_document(f"{base}/missing.json")
    with pytest.raises(FetchFailed, match="larger than"):
        fetch_text(f"{base}/big", "text/plain")
    with pytest.raises(FetchFailed, match="only http"):
        fetch_text("file:///etc/passwd", "text/plain")
    with pytest.raises(FetchFailed, match="cannot be reached"):
        fetch_text("http://127.0.0.1:9/", "text/plain")
