"""The certificate's words in English and, for some markets, a second language beside them.

A criteria set names the languages its certificates print (`certificate_languages`), the
snapshot records them (`market.languages`), and the template asks `_("English")` for each
phrase: English alone, or English with its translation under it (a heading/body pair). The
translation comes from the `certificate` catalogue in labcert/translations, which changes only
with the certificate template, so a snapshot re-renders to the same bytes.
"""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any

from babel.support import NullTranslations, Translations
from markupsafe import Markup, escape

from labcert.languages import TRANSLATIONS_DIR, direction

DOMAIN = "certificate"
PAIR = Markup('<span class="en">{}</span> <span class="l2" lang="{}" dir="{}">{}</span>')


def N_(message: str) -> str:
    """Mark a message for the catalogue; it is translated where it is printed."""
    return message


# TRANSLATORS: a month as a long date prints it ("21 November 2026"); Russian: genitive.
MONTHS = (N_("January"), N_("February"), N_("March"), N_("April"), N_("May"), N_("June"),
          N_("July"), N_("August"), N_("September"), N_("October"), N_("November"),
          N_("December"))


@functools.cache
def catalogue(code: str) -> NullTranslations:
    """Return the certificate catalogue of a language (loaded once per process)."""
    return Translations.load(str(TRANSLATIONS_DIR), [code], domain=DOMAIN)


def isolated(value: Any) -> Markup:
    """Keep an identifier or number left to right inside right-to-left text."""
    return Markup('<bdi dir="ltr">{}</bdi>').format(value)


class Words:
    """Say the certificate's phrases in English and the second language, if there is one."""

    def __init__(self, languages: tuple[str, ...] | list[str]):
        codes = tuple(languages) or ("en",)
        self.second = codes[1] if len(codes) > 1 else None
        self.translations = catalogue(self.second) if self.second else None

    @property
    def dir(self) -> str:
        """Return the second language's writing direction ("ltr" if there is none)."""
        return direction(self.second) if self.second else "ltr"

    def translated(self, message: str) -> str:
        """Return the second language's form of message (English if there is none)."""
        return self.translations.gettext(message) if self.translations else message

    def english(self, message: str, **values: Any) -> Markup:
        """Return the English phrase alone, with its values escaped."""
        return escape(message) % values if values else escape(message)

    def pair(self, message: str, **values: Any) -> Markup:
        """Return English, and the translation beside it in its own script and direction."""
        english = self.english(message, **values)
        if self.second is None:
            return english
        other = escape(self.translated(message))
        if values:
            other = other % {key: isolated(value) for key, value in values.items()}
        return PAIR.format(english, self.second, self.dir, other)

    def second_only(self, message: str, **values: Any) -> Markup:
        """Return the translation alone (for a block of its own), or English if there is none."""
        if self.second is None:
            return self.english(message, **values)
        other = escape(self.translated(message))
        return other % {key: isolated(value) for key, value in values.items()} if values \
            else other

    def date(self, day: dt.date | str) -> Markup:
        """Return a long date (a date or ISO text) in English and in the second language."""
        day = dt.date.fromisoformat(day) if isinstance(day, str) else day
        english = f"{day.day} {MONTHS[day.month - 1]} {day.year}"
        if self.second is None:
            return escape(english)
        month = self.translated(MONTHS[day.month - 1])
        return PAIR.format(english, self.second, self.dir, f"{day.day} {month} {day.year}")



def css_string(text: str) -> Markup:
    """Return text safe inside a double-quoted CSS string in <style> (the page margin boxes)."""
    plain = text.unescape() if isinstance(text, Markup) else str(text)
    plain = plain.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")
    return Markup(plain.replace("<", "\\3c "))  # noqa: S704 - escaped for CSS, no "<" left
