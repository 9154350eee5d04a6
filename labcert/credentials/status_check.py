"""Answer a credential's status question from the lab's signed Bitstring Status List credentials."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from labcert.credentials.envelope import MalformedCredential
from labcert.credentials.facts import REVOCATION, STATUS_PURPOSES, SUSPENSION
from labcert.credentials.signed import STATUS, Check, check_signed
from labcert.credentials.statuslist import InvalidStatusList, bit_is_set, decode_bitstring
from labcert.credentials.times import parse_timestamp

_SET_WORDS = {
    REVOCATION: "Revoked: the lab's revocation list marks this credential (entry {index}): the"
    " certificate was withdrawn and will not return.",
    SUSPENSION: "Suspended: the lab's suspension list marks this credential (entry {index}):"
    " do not rely on the certificate while it is suspended.",
}


@dataclass(frozen=True)
class _Entry:
    purpose: str
    index: int
    list_url: str


def status_check(
    credential: dict[str, Any],
    trusted: bool,
    did_document: dict[str, Any],
    status_lists: Mapping[str, str],
    now: dt.datetime,
) -> Check:
    """Answer whether the credential's suspension and revocation bits are clear."""
    if not trusted:
        return Check(
            STATUS,
            False,
            "Not checked: the credential is not authentically the lab's, so its status entries"
            " cannot be relied on.",
        )
    entries, problem = _entries(credential.get("credentialStatus"))
    if problem:
        return Check(STATUS, False, problem)
    if not entries:
        return Check(
            STATUS,
            False,
            "The credential has no status entries: its suspension or withdrawal cannot be checked.",
        )
    set_purposes: list[tuple[str, int]] = []
    for entry in entries:
        token = status_lists.get(entry.list_url)
        if token is None:
            return Check(
                STATUS,
                False,
                f"Cannot be checked: the {entry.purpose} status list {entry.list_url} was not"
                " available. Give it as a file or let LabCert fetch it from the lab.",
            )
        answer = _read_bit(token, entry, did_document, now)
        if isinstance(answer, str):
            return Check(STATUS, False, answer)
        if answer:
            set_purposes.append((entry.purpose, entry.index))
    for purpose in (REVOCATION, SUSPENSION):  # a withdrawal outweighs a suspension
        for found, index in set_purposes:
            if found == purpose:
                return Check(STATUS, False, _SET_WORDS[purpose].format(index=index))
    purposes = " and ".join(sorted({e.purpose for e in entries}))
    return Check(
        STATUS,
        True,
        f"In force: the lab's signed status lists ({purposes}) leave this credential's bits clear.",
    )


def _entries(raw: Any) -> tuple[list[_Entry], str | None]:
    items = raw if isinstance(raw, list) else [raw] if isinstance(raw, dict) else []
    entries = []
    for item in items:
        if not isinstance(item, dict) or item.get("type") != "BitstringStatusListEntry":
            continue  # a status method LabCert does not know; the others still answer
        purpose, url = item.get("statusPurpose"), item.get("statusListCredential")
        index = item.get("statusListIndex")
        if purpose not in STATUS_PURPOSES or not isinstance(url, str):
            return [], f"A status entry is damaged: purpose {purpose!r}, list {url!r}."
        if not (isinstance(index, str) and index.isdigit()):
            return [], f"A status entry is damaged: statusListIndex {index!r} is not a number."
        entries.append(_Entry(purpose, int(index), url))
    return entries, None


def _read_bit(
    token: str, entry: _Entry, did_document: dict[str, Any], now: dt.datetime
) -> bool | str:
    """Return the entry's bit, or a plain-words reason why the list cannot be relied on."""
    where = f"The {entry.purpose} status list {entry.list_url}"
    try:
        signed = check_signed(token, did_document, what="status list")
    except MalformedCredential as exc:
        return f"{where} is unreadable: {exc}"
    if not signed.trusted:
        failed = signed.signature if not signed.signature.ok else signed.issuer
        return f"{where} is not the lab's: {failed.message}"
    payload = signed.payload
    subject = payload.get("credentialSubject")
    types = payload.get("type") or []
    if (
        "BitstringStatusListCredential" not in types
        or not isinstance(subject, dict)
        or payload.get("id") != entry.list_url
    ):
        return f"{where} is not the status list the credential points at."
    if subject.get("statusPurpose") != entry.purpose:
        return f"{where} is a list for {subject.get('statusPurpose')!r}, not {entry.purpose!r}."
    until = parse_timestamp(payload.get("validUntil"))
    if until is not None and now > until:
        return f"{where} is out of date (valid until {until:%Y-%m-%d %H:%M} UTC); fetch it again."
    try:
        return bit_is_set(decode_bitstring(subject.get("encodedList")), entry.index)
    except (InvalidStatusList, IndexError) as exc:
        return f"{where} is damaged: {exc}."
