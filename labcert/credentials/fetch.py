"""Fetch what a credential check needs from the lab: its DID document and its status lists.

Used when a verifier does not give them as files. Only http(s) is fetched, with a timeout and a
size bound; every failure becomes a ``FetchFailed`` whose message names the URL and the reason.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

from labcert.credentials.envelope import MAX_TOKEN

TIMEOUT_SECONDS = 10
MAX_DOCUMENT = 1024 * 1024


class FetchFailed(Exception):
    """A document could not be fetched from the lab; the message says which and why."""


def fetch_text(url: str, accept: str, limit: int = MAX_DOCUMENT) -> str:
    """Return the body of url as text, refusing non-http(s) URLs and oversized answers."""
    if urlsplit(url).scheme not in ("http", "https"):
        raise FetchFailed(f"{url}: only http(s) URLs are fetched")
    request = urllib.request.Request(url, headers={"Accept": accept})  # noqa: S310 (checked above)
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as answer:  # noqa: S310
            body = answer.read(limit + 1)
    except urllib.error.HTTPError as exc:
        raise FetchFailed(f"{url}: the lab answered {exc.code} {exc.reason}") from exc
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise FetchFailed(f"{url}: cannot be reached ({reason})") from exc
    if len(body) > limit:
        raise FetchFailed(f"{url}: the answer is larger than {limit // 1024} KB")
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise FetchFailed(f"{url}: the answer is not UTF-8 text") from exc


def fetch_did_document(url: str) -> dict[str, Any]:
    """Return the DID document published at url."""
    text = fetch_text(url, "application/did+json, application/json")
    try:
        document = json.loads(text)
    except ValueError as exc:
        raise FetchFailed(f"{url}: the DID document is not JSON") from exc
    if not isinstance(document, dict):
        raise FetchFailed(f"{url}: the DID document is not a JSON object")
    return document


def fetch_status_lists(urls: Iterable[str]) -> dict[str, str]:
    """Return the status list credentials (vc+jwt) at urls, by URL."""
    return {url: fetch_text(url, "application/vc+jwt", MAX_TOKEN).strip() for url in set(urls)}


def status_list_urls(credential: dict[str, Any]) -> list[str]:
    """Return the status list URLs a credential's status entries point at."""
    raw = credential.get("credentialStatus")
    entries = raw if isinstance(raw, list) else [raw] if isinstance(raw, dict) else []
    urls = [e.get("statusListCredential") for e in entries if isinstance(e, dict)]
    return sorted({u for u in urls if isinstance(u, str)})
