"""Read a pasted or uploaded list of IMEIs, one per line, each with an optional serial."""

from __future__ import annotations

import re
from datetime import date

from labcert.services.samples import SampleIn

FIELD_SEPARATOR = re.compile(r"[,;\t]")


def _split(line: str) -> tuple[str, str]:
    """Return (IMEI, serial): a comma, semicolon or tab separates them, else the first space
    (a line of digits, spaces and dashes only is one IMEI written in groups)."""
    if FIELD_SEPARATOR.search(line):
        imei, serial = FIELD_SEPARATOR.split(line, maxsplit=1)
        return imei.strip(), serial.strip().strip('"')
    if re.fullmatch(r"[\d\s-]+", line):
        return line.strip(), ""
    imei, _, serial = line.strip().partition(" ")
    return imei, serial.strip()


def parse_sample_lines(text: str, received_at: date | None,
                       condition: str = "") -> list[SampleIn]:
    """Turn a list into samples; blank lines, `#` comments and an `imei,…` header are skipped.

    Each sample remembers its line ("line 3") so a refusal can name it.
    """
    items = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip().lstrip("\ufeff")
        if not line or line.startswith("#"):
            continue
        imei, serial = _split(line)
        if imei.strip('"').lower() == "imei":
            continue
        items.append(SampleIn(imei=imei.strip('"'), serial=serial, received_at=received_at,
                              condition=condition, where=f"line {number}"))
    return items
