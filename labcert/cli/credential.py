"""`labcert verify --credential FILE`: check a credential offline, or with what it fetches.

The lab's DID document comes from ``--did FILE`` or is fetched from the lab (``--lab URL``,
default: this installation's public URL), never from a URL the credential names: a forged
credential must not choose the keys it is checked against. Status lists come from
``--status-list FILE`` or are fetched from the lab's own URLs; ``--no-fetch`` reaches nothing.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from labcert.cli.output import emit, fail
from labcert.credentials import MalformedCredential, read_unverified, verify_credential
from labcert.credentials.fetch import (
    FetchFailed,
    fetch_did_document,
    fetch_status_lists,
    status_list_urls,
)


def _text(path: Path, what: str) -> str:
    try:
        return path.read_text(encoding="utf-8-sig").strip()
    except (OSError, UnicodeDecodeError) as exc:
        fail(f"{path}: cannot read the {what} ({exc})")


def _did_document(did_path: Path | None, lab: str, fetch: bool) -> dict[str, Any]:
    if did_path is not None:
        try:
            document = json.loads(_text(did_path, "DID document"))
        except ValueError:
            fail(f"{did_path}: the DID document is not JSON")
        if not isinstance(document, dict):
            fail(f"{did_path}: the DID document is not a JSON object")
        return document
    if not fetch:
        fail("give the lab's DID document with --did FILE (or allow fetching it from the lab)")
    try:
        return fetch_did_document(f"{lab}/.well-known/did.json")
    except FetchFailed as error:
        fail(f"cannot fetch the lab's DID document: {error} (or give it with --did FILE)")


def _status_lists(credential_text: str, list_paths: tuple[Path, ...], lab: str,
                  fetch: bool) -> dict[str, str]:
    """Return the status lists given as files (by the URL they state) and fetch the rest."""
    lists = {}
    for path in list_paths:
        token = _text(path, "status list")
        try:
            lists[str(read_unverified(token)[1].get("id"))] = token
        except MalformedCredential as error:
            fail(f"{path}: not a status list credential ({error})")
    try:
        wanted = status_list_urls(read_unverified(credential_text)[1])
    except MalformedCredential:
        return lists
    # Only the lab's own URLs are fetched: the credential is not trusted yet.
    missing = [u for u in wanted if u not in lists and u.startswith(f"{lab}/")]
    if fetch and missing:
        try:
            lists.update(fetch_status_lists(missing))
        except FetchFailed as error:
            click.echo(f"warning: {error}", err=True)
    return lists


def verify_credential_file(path: Path, *, did_path: Path | None, list_paths: tuple[Path, ...],
                           lab: str, fetch: bool, as_json: bool) -> None:
    """Check a credential file and exit 0 only when every check passes."""
    lab = lab.rstrip("/")
    text = _text(path, "credential")
    document = _did_document(did_path, lab, fetch)
    result = verify_credential(text, document, _status_lists(text, list_paths, lab, fetch))
    verdict = "VALID" if result.valid else "AUTHENTIC, NOT IN FORCE" if result.authentic \
        else "NOT AUTHENTIC"
    data = {"valid": result.valid, "authentic": result.authentic, "number": result.number,
            "did": document.get("id"),
            "checks": [{"name": c.name, "ok": c.ok, "message": c.message} for c in result.checks]}
    lines = [f"{'OK  ' if c.ok else 'FAIL'} {c.name}: {c.message}" for c in result.checks]
    heading = f"{path}: {verdict}" + (f" ({result.number})" if result.number else "")
    emit(data, "\n".join([heading, *lines]), as_json)
    raise SystemExit(0 if result.valid else 1)
