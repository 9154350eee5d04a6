"""A shipment line's reason in the visitor's language (the service says it in English).

The page and its CSV print this; the API keeps the service's English `reason`.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_babel import gettext
from markupsafe import escape

from labcert.i18n import bdi, current_language, day, status_word
from labcert.languages import DEFAULT


def reason(item: dict[str, Any], market: str, *, html: bool = True) -> str:
    """Return why an IMEI is or is not covered, in the page's language (Markup if html)."""
    if current_language() == DEFAULT:
        return str(item["reason"])
    mark = bdi if html else str

    def _(message: str, **values: Any) -> str:
        text = gettext(message)  # the catalogue's words; the values are put in after escaping
        return escape(text) % values if html else text % values

    imei = str(item["imei"])
    if not item["luhn_valid"]:
        return _("%(imei)s is not a valid IMEI: 15 digits, the last one a correct check digit.",
                 imei=mark(imei))
    tac = mark(imei[:8])
    if item["certificate"] is None:
        return _("No certificate for %(market)s covers TAC %(tac)s.", market=mark(market),
                 tac=tac)
    number = mark(item["certificate"])
    if item["covered"]:
        until = item.get("valid_until")
        return _("TAC %(tac)s is covered by certificate %(number)s, valid until %(date)s.",
                 tac=tac, number=number,
                 date=day(date.fromisoformat(until)) if until else "—")
    return _("Certificate %(number)s for TAC %(tac)s is %(status)s.", number=number, tac=tac,
             status=status_word(item["status"] or ""))
