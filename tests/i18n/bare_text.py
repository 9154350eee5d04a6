"""Find the words a template shows without the catalogue: text between tags, words in the
attributes people read (title, alt, placeholder, aria-label) and sentences in expressions."""

from __future__ import annotations

import re
from pathlib import Path

import jinja2

# Words that are the same in every language: names, codes and units.
NEUTRAL = {"LabCert", "IMEI", "IMEIs", "TAC", "TACs", "PDF", "CSV", "JSON", "API", "SHA-256",
           "UTC", "URL", "DID", "QR", "UNTP", "JWT", "PAdES", "B-B", "B-T", "B-LT", "B-LTA",
           "ETag", "HSM", "PKCS#11", "W3C", "vc+jwt", "LC", "k", "U", "OK"}
READ_ATTRIBUTES = re.compile(
    r'\b(?:title|alt|placeholder|aria-label|data-label)="([^"{]*[A-Za-z][^"{]*)"')
SKIPPED = re.compile(r"<(code|script|style|pre|kbd|samp)\b.*?</\1>|<!--.*?-->", re.S)
TAG = re.compile(r"<[^>]*>")
ENTITY = re.compile(r"&[#\w]+;")
WORD = re.compile(r"[A-Za-z][A-Za-z'\u2019-]*")
GETTEXT = {"_", "gettext", "ngettext", "pgettext", "en", "second"}
STRFTIME = {"strftime"}  # a date format, not words


PATHS = re.compile(r"\S*[/@]\S*")  # URLs, paths, media types, criteria refs: not words


def _words(text: str) -> list[str]:
    return [w for w in WORD.findall(PATHS.sub(" ", text)) if w not in NEUTRAL and not w.isupper()]


def _called_by(tokens: list[tuple[int, str, str]], index: int) -> str:
    """Return the name of the call whose arguments hold tokens[index] ("" if none)."""
    depth = 0
    for position in range(index - 1, -1, -1):
        kind, value = tokens[position][1], tokens[position][2]
        if kind in ("variable_begin", "block_begin"):
            return ""
        if kind == "operator" and value in ")]}":
            depth += 1
        elif kind == "operator" and value in "([{":
            if depth == 0:
                previous = [v for _, k, v in tokens[max(0, position - 2):position]
                            if k != "whitespace"]
                return previous[-1] if value == "(" and previous else ""
            depth -= 1
    return ""


def bare_text(source: str, name: str) -> list[str]:
    """Return "line: text" for each run of words shown to people outside the catalogue."""
    env = jinja2.Environment(extensions=["jinja2.ext.i18n", "jinja2.ext.do"])
    found: list[str] = []
    tokens = list(env.lex(source, name))
    data = "".join(value if kind == "data" else f"\x00{lineno}\x00"
                   for lineno, kind, value in tokens)
    data = SKIPPED.sub(" ", data)
    for match in READ_ATTRIBUTES.finditer(data):
        if _words(match.group(1)):
            found.append(f"attribute: {match.group(1).strip()}")
    text = ENTITY.sub(" ", TAG.sub(" ", data))
    for chunk in text.split("\x00"):
        if not chunk.isdigit() and _words(chunk):
            found.append(f"text: {' '.join(chunk.split())[:80]}")
    for index, (lineno, kind, value) in enumerate(tokens):
        if kind != "string" or " " not in value or not _words(value):
            continue
        in_call = _called_by(tokens, index) in GETTEXT | STRFTIME
        if not in_call:
            found.append(f"line {lineno} expression: {value[:80]}")
    return found


def page_templates(root: Path) -> list[Path]:
    """The page templates (not the mail, rendered in English for now, nor the certificate)."""
    return sorted(p for p in (root / "templates").rglob("*.html")
                  if p.parent.name not in ("mail", "certificate"))
