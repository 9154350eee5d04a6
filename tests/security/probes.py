"""Hostile strings, where to put them in a JSON body, and what every answer must respect."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

from tests.security.fingerprints import AUDITED_ON_REFUSAL, changed_tables, fingerprint

PROBES = {
    "sql": "' OR 1=1 --",
    "script": "<script>alert(1)</script>",
    "traversal": "../../etc/passwd",
    "percent-nul": "%00",
    "nul": "probe\x00probe",
    "long": "A" * 10_000,
    "huge-number": "9" * 30,
    "rtl": "\u202etxt.exe مرحبا",
}
SCRIPT = PROBES["script"]
ON_POSTGRES = (os.environ.get("LABCERT_TEST_DATABASE_URL") or "").startswith("postgres")


def probe_params(known: dict[str, str] | None = None, *, in_url: bool = False) -> list[Any]:
    """Return the probes as pytest params, a strict xfail on those `known` to find a bug.

    A NUL is a known bug on PostgreSQL. In a URL '%00' is a NUL too; elsewhere it is plain
    text, like any other, so it is probed in URLs only.
    """
    params = []
    for name, value in PROBES.items():
        if name == "percent-nul" and not in_url:
            continue
        marks = [pytest.mark.xfail(strict=True, reason=known[name])] if name in (known or {}) \
            else []
        params.append(pytest.param(value, id=name, marks=marks))
    return params


def variants(body: Any, probe: str, path: str = "") -> Iterator[tuple[str, Any]]:
    """Yield (where, body) with one leaf value or one mapping key replaced by the probe."""
    if isinstance(body, dict):
        for key, value in body.items():
            where = f"{path}.{key}" if path else key
            renamed = {(probe if k == key else k): v for k, v in body.items()}
            yield f"{where} (key)", renamed
            for inner, replaced in variants(value, probe, where):
                yield inner, {**body, key: replaced}
    elif isinstance(body, list):
        for index, value in enumerate(body):
            for inner, replaced in variants(value, probe, f"{path}[{index}]"):
                yield inner, [*body[:index], replaced, *body[index + 1:]]
    else:
        yield path, probe


@dataclass
class Verdicts:
    """Every answer to a probe, judged: below 500, and a 4xx stores nothing (but the audit
    event that records a refusal or a failed sign-in)."""

    problems: list[str] = field(default_factory=list)
    _before: dict[str, str] = field(
        default_factory=lambda: fingerprint(AUDITED_ON_REFUSAL), repr=False)

    def judge(self, what: str, response: Any) -> None:
        """Record what is wrong with one answer; the fingerprint moves on."""
        status = response.status_code
        after = fingerprint(AUDITED_ON_REFUSAL)
        if status >= 500:
            self.problems.append(f"{what}: {status}")
        elif status >= 400 and after != self._before:
            self.problems.append(f"{what}: {status} but stored to "
                                 f"{changed_tables(self._before, AUDITED_ON_REFUSAL)}")
        if response.mimetype == "text/html" and SCRIPT in response.get_data(as_text=True):
            self.problems.append(f"{what}: the script probe is in the page unescaped")
        self._before = after

    def restart(self) -> None:
        """Take the fingerprint again after setting up objects between probes."""
        self._before = fingerprint(AUDITED_ON_REFUSAL)
