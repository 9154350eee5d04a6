"""The languages LabCert speaks: codes, names in their own script, writing direction.

A leaf shared by the pages, the services and the certificate renderer (no Flask here).
"""

from __future__ import annotations

from pathlib import Path

DEFAULT = "en"
LANGUAGES = ("en", "ur", "ar", "ru")  # the order of the switch on every page
NATIVE_NAMES = {"en": "English", "ur": "اردو", "ar": "العربية", "ru": "Русский"}
RTL = frozenset({"ur", "ar"})
TRANSLATIONS_DIR = Path(__file__).resolve().parent / "translations"


def N_(message: str) -> str:
    """Mark a message for the catalogue; the page that shows it translates it (a leaf marker)."""
    return message


def direction(code: str) -> str:
    """Return "rtl" for Urdu and Arabic, else "ltr"."""
    return "rtl" if code in RTL else "ltr"


def supported(code: str | None) -> str | None:
    """Return the supported language a code names ("ar-SA" -> "ar"), or None."""
    if not code:
        return None
    base = code.strip().replace("_", "-").split("-", 1)[0].lower()
    return base if base in LANGUAGES else None
