"""House rules checked mechanically: small modules."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_no_module_is_over_300_lines() -> None:
    long = [f"{p.relative_to(ROOT)}: {n}" for p in sorted((ROOT / "labcert").rglob("*.py"))
            if (n := len(p.read_text().splitlines())) > 300]
    assert long == []
