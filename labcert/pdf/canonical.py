"""The canonical bytes of a certificate snapshot, and the facts the QR token states about them."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any


def canonical_json(snapshot: dict[str, Any]) -> bytes:
    """Serialise snapshot as canonical JSON: sorted keys, compact separators, UTF-8, no NaN."""
    return json.dumps(
        snapshot,
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
        allow_nan=False,
        default=_refuse,
    ).encode("utf-8")


def data_sha256(snapshot: dict[str, Any]) -> str:
    """Return the hex SHA-256 of the snapshot's canonical JSON (the attached file)."""
    return hashlib.sha256(canonical_json(snapshot)).hexdigest()


def qr_facts(snapshot: dict[str, Any]) -> dict[str, Any]:
    """Pick from snapshot the facts that make_qr_token seals into the QR code."""
    certificate = snapshot["certificate"]
    return {
        "number": certificate.get("display_number") or certificate["number"],
        "revision": int(certificate.get("revision") or 0),
        "holder": snapshot["holder"]["name"],
        "model": snapshot["product"]["model"],
        "market": snapshot["market"]["id"],
        "issued_on": _utc_day(certificate["issued_at"]),
        "valid_until": str(certificate["valid_until"])[:10],
        "data_sha256": data_sha256(snapshot),
    }


def _utc_day(moment: str) -> str:
    day = dt.datetime.fromisoformat(moment)
    return (day.astimezone(dt.UTC) if day.tzinfo else day).date().isoformat()


def _refuse(value: object) -> Any:
    raise TypeError(
        f"{type(value).__name__} {value!r} is not JSON-safe: store Decimals and dates as strings"
    )
