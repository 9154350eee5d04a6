"""Which language a page speaks, and the catalogue that speaks it (Flask-Babel).

The choice, first that applies: the switch on every page (a cookie), the account's own
setting, the browser's `Accept-Language`, English. The API keeps English codes and translates
only its `message` fields, from `Accept-Language` alone (see `api_language`).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask import Flask, Response, has_request_context, request
from flask_babel import (
    Babel,
    format_date,
    get_locale,
    gettext,
    lazy_gettext,
    refresh,
)
from flask_login import current_user
from markupsafe import Markup

from labcert.languages import DEFAULT, LANGUAGES, NATIVE_NAMES, direction, supported
from labcert.lifecycles.certificate import WORDS

COOKIE = "labcert_lang"
COOKIE_MAX_AGE = 365 * 24 * 3600
ROLE_NAMES = {
    "admin": lazy_gettext("administrator"),
    "technician": lazy_gettext("technician"),
    "reviewer": lazy_gettext("reviewer"),
    "manufacturer": lazy_gettext("manufacturer"),
    "exporter": lazy_gettext("exporter"),
}


def _from_header() -> str | None:
    return request.accept_languages.best_match(LANGUAGES)


def select_language() -> str:
    """Return the language of this request's page (English outside a request: mail, CLI)."""
    if not has_request_context():
        return DEFAULT
    if request.path.startswith("/api/"):
        return _from_header() or DEFAULT
    chosen = supported(request.cookies.get(COOKIE))
    if chosen:
        return chosen
    if current_user and current_user.is_authenticated:
        own = supported(getattr(current_user, "language", None))
        if own:
            return own
    return _from_header() or DEFAULT


def current_language() -> str:
    """Return the code of the language the current request speaks."""
    locale = get_locale()
    return locale.language if locale is not None else DEFAULT


def remember(response: Response, code: str) -> Response:
    """Keep the visitor's choice of language in a cookie for a year."""
    response.set_cookie(COOKIE, code, max_age=COOKIE_MAX_AGE, samesite="Lax",
                        secure=request.is_secure, httponly=True)
    return response


def translate(message: str | None) -> str | None:
    """Return a service's message in the page's language if the catalogue has it, else as is.

    The result is plain text (never Markup), so a message that quotes user input stays escaped.
    """
    if not message:
        return message
    return str(gettext(message)) if current_language() != DEFAULT else message


# What the other badges say: application states, verdicts, criteria set states.
BADGE_WORDS = {
    "draft": lazy_gettext("draft"), "testing": lazy_gettext("testing"),
    "submitted": lazy_gettext("submitted"), "approved": lazy_gettext("approved"),
    "cancelled": lazy_gettext("cancelled"), "pass": lazy_gettext("pass"),
    "fail": lazy_gettext("fail"), "conditional_pass": lazy_gettext("conditional pass"),
    "conditional_fail": lazy_gettext("conditional fail"),
    "indeterminate": lazy_gettext("indeterminate"), "incomplete": lazy_gettext("incomplete"),
    "active": lazy_gettext("active"), "retired": lazy_gettext("retired"),
}


def status_word(status: str) -> str:
    """Return a status, state or verdict code ("suspended") in the page's language."""
    words = WORDS.get(status)
    if words:
        return translate(words.label) or status
    if status in BADGE_WORDS:
        return str(BADGE_WORDS[status])
    return status.replace("_", " ")


def bdi(value: Any) -> Markup:
    """Isolate an identifier, number or unit left to right inside right-to-left text."""
    return Markup('<bdi dir="ltr">{}</bdi>').format(value)


def day(value: date | datetime | None) -> str:
    """Format a day for people: ISO in English (as always), the locale's long form otherwise."""
    if value is None:
        return "—"
    if current_language() == DEFAULT:
        return (value.date() if isinstance(value, datetime) else value).isoformat()
    return str(format_date(value, "long"))


def moment(value: datetime | date | None) -> str:
    """Format a timestamp (UTC) for people in the page's language; English as it always was.

    Elsewhere the day in the locale's words and the time kept left to right: "30 نومبر، 2026
    09:29 UTC" would otherwise reorder inside right-to-left text.
    """
    if value is None:
        return "—"
    if not isinstance(value, datetime):
        return day(value)
    if current_language() == DEFAULT:
        return value.strftime("%Y-%m-%d %H:%M UTC")
    return Markup("{} {}").format(format_date(value, "long"),
                                  bdi(value.strftime("%H:%M UTC")))


# The countries and unions the shipped criteria sets name (their `country`), for the catalogue.
COUNTRIES = (lazy_gettext("Pakistan"), lazy_gettext("Saudi Arabia"),
             lazy_gettext("United Arab Emirates"), lazy_gettext("Eurasian Economic Union"),
             lazy_gettext("European Union"), lazy_gettext("United States"))


def local_market_name(name: str) -> str:
    """Say a market's name ("Pakistan — PTA type approval") with the country in the page's
    language; the scheme is a proper name and stays as the criteria set writes it."""
    country, dash, scheme = name.partition(" — ")
    if not dash or current_language() == DEFAULT:
        return name
    return f"{translate(country)} — {scheme}"


def role_name(role: str) -> str:
    """Return a role's name in the page's language (the code if it is unknown)."""
    return str(ROLE_NAMES.get(role, role))


def _template_values() -> dict[str, Any]:
    code = current_language()
    return {"lang": code, "text_dir": direction(code), "languages": LANGUAGES,
            "language_names": NATIVE_NAMES}


def _vary(response: Response) -> Response:
    """Pages differ by language: a shared cache must key them by header and cookie."""
    if request.path.startswith("/api/"):
        response.vary.add("Accept-Language")  # the `message` fields follow it
    elif response.mimetype in ("text/html", "text/csv"):
        response.vary.add("Accept-Language")
        response.vary.add("Cookie")
    return response


def init_app(app: Flask) -> None:
    """Bind Flask-Babel to the catalogues in labcert/translations."""
    Babel(app, locale_selector=select_language,
          default_translation_directories="translations")
    # Each request chooses afresh (a test client, or a worker, may share one app context).
    app.before_request(refresh)
    app.context_processor(_template_values)
    app.jinja_env.globals.update(role_name=role_name, status_word=status_word)
    app.jinja_env.filters.update(t=translate, bdi=bdi, day=day)
    app.after_request(_vary)
